import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alertQuery } from './alert-query.ts';
import { incidentQuery } from './query-builder.ts';
import { alertSearchSchema, incidentSearchSchema, parseParams } from './search-params.ts';

type Body = { bool: { filter: Array<Record<string, unknown>>; must?: unknown[] } };

const KEYS_THAT_ESCAPE = ['"script"', '"aggs"', '"global"', '"query_string"', '"index"', '"_index"', '"terms_lookup"', '"path"'];

describe('alert and incident queries', () => {
  it('put the tenant filter first in bool.filter whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.constantFrom('a', 'tenant-b'), fc.constantFrom('host', 'user', 'domain', 'process'), (q, tenant, field) => {
        const params = parseParams(alertSearchSchema, { q, [field]: q.length > 0 ? q.slice(0, 256) : 'x' });
        const body = alertQuery(tenant, params, null) as Body;
        expect(body.bool.filter[0]).toEqual({ term: { tenant_id: tenant } });
        const text = JSON.stringify(body);
        for (const key of KEYS_THAT_ESCAPE) expect(text).not.toContain(`${key}:`);
      }),
    );
    expect((incidentQuery('t1', parseParams(incidentSearchSchema, { status: 'open' })) as Body).bool.filter[0]).toEqual({ term: { tenant_id: 't1' } });
  });

  it('keeps free text inside simple_query_string with limited flags and fixed fields', () => {
    const body = alertQuery('t1', parseParams(alertSearchSchema, { q: '{"script":"x"} OR tenant_id:other' }), null) as Body;
    const sqs = (body.bool.must![0] as { simple_query_string: { fields: string[]; flags: string; query: string } }).simple_query_string;
    expect(sqs.fields).not.toContain('tenant_id');
    expect(sqs.flags).not.toMatch(/ALL|REGEXP|FUZZY/);
    expect(sqs.query).toBe('{"script":"x"} OR tenant_id:other');
  });

  it('turns CIDRs, ports, labels and incident members into value clauses', () => {
    const body = alertQuery('t1', parseParams(alertSearchSchema, { ip: '10.0.0.0/8', dst_port: '443', label: ['env:prod', 'team:blue'], min_dedup_count: '2' }), ['a1']) as Body;
    expect(body.bool.filter).toContainEqual({ bool: { should: [{ terms: { src_ip: ['10.0.0.0/8'] } }, { terms: { dst_ip: ['10.0.0.0/8'] } }], minimum_should_match: 1 } });
    expect(body.bool.filter).toContainEqual({ terms: { dst_port: [443] } });
    expect(body.bool.filter).toContainEqual({ term: { 'labels.env': 'prod' } });
    expect(body.bool.filter).toContainEqual({ range: { dedup_count: { gte: 2 } } });
    expect(body.bool.filter).toContainEqual({ terms: { id: ['a1'] } });
    // An incident with no members this tenant can see matches nothing rather than everything.
    expect((alertQuery('t1', parseParams(alertSearchSchema, {}), []) as Body).bool.filter).toContainEqual({ terms: { id: ['-'] } });
  });

  it('rejects unknown parameters, tenant_id, bad label keys, bad sorts, huge pages with QUERY_INVALID', () => {
    for (const bad of [{ tenant_id: 'other' }, { label: 'ten ant:x' }, { sort: 'tenant_id:asc' }, { size: '100000' }, { from: '10', to: '5' }, { src_ip: 'not-an-ip' }, { offset: '10' }]) {
      expect(() => parseParams(alertSearchSchema, bad)).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
    }
  });
});
