import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alertSearchBody, byIdBody, incidentSearchBody } from './query-builder.ts';
import { alertSearchSchema, parseParams } from './search-params.ts';

type Body = { query: { bool: { filter: Array<Record<string, unknown>> } } };

describe('query builders', () => {
  it('always puts the tenant filter first in bool.filter', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.constantFrom('a', 'tenant-b'), (q, tenant) => {
        const body = alertSearchBody(tenant, parseParams(alertSearchSchema, { q })) as Body;
        expect(body.query.bool.filter[0]).toEqual({ term: { tenant_id: tenant } });
      }),
    );
    expect((byIdBody('t1', 'x') as Body).query.bool.filter[0]).toEqual({ term: { tenant_id: 't1' } });
    expect((incidentSearchBody('t1', { size: 5, offset: 0 }) as Body).query.bool.filter[0]).toEqual({ term: { tenant_id: 't1' } });
  });

  it('keeps free text inside simple_query_string and never emits aggregations or scripts', () => {
    const body = alertSearchBody('t1', parseParams(alertSearchSchema, { q: '{"script":"x"} OR tenant_id:other' }));
    const text = JSON.stringify(body);
    expect(text).not.toContain('"aggs"');
    expect(text).not.toContain('"script":{');
    expect(text).toContain('simple_query_string');
  });

  it('rejects unknown parameters and deep pages with QUERY_INVALID', () => {
    expect(() => parseParams(alertSearchSchema, { tenant_id: 'other' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => parseParams(alertSearchSchema, { offset: '9999', size: '500' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => parseParams(alertSearchSchema, { from: '10', to: '5' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });
});
