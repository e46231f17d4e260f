import { describe, expect, it } from 'vitest';
import { aggregationBody, aggregationSchema, histogramInterval, MAX_TOP } from './aggregations.ts';
import { parseParams } from './search-params.ts';

describe('triage aggregations', () => {
  it('pick a histogram interval that keeps buckets bounded', () => {
    expect(histogramInterval(0, 3_600_000)).toBe('1m');
    expect(histogramInterval(0, 86_400_000)).toBe('15m');
    expect(histogramInterval(0, 30 * 86_400_000)).toBe('6h'); // 120 buckets exactly
    expect(histogramInterval(0, 100 * 365 * 86_400_000)).toBe('365d');
    // The whole date range OpenSearch can hold still gives at most 120 buckets.
    const all = Date.UTC(9999, 11, 31);
    const interval = histogramInterval(0, all);
    expect(interval).toMatch(/^\d+d$/);
    expect(all / (parseInt(interval, 10) * 86_400_000)).toBeLessThanOrEqual(120);
  });

  it('only aggregate on fields the service names, with capped sizes, never tenant_id or global', () => {
    const p = parseParams(aggregationSchema, { agg: ['top_rules', 'top_labels', 'severity_over_time'], label_key: 'env', top: String(MAX_TOP) });
    const text = JSON.stringify(aggregationBody(p, { from: 0, to: 86_400_000 }));
    expect(text).not.toContain('tenant_id');
    expect(text).not.toContain('global');
    expect(text).toContain('"size":50');
    expect(() => parseParams(aggregationSchema, { top: '51' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => parseParams(aggregationSchema, { agg: 'tenant_id' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => parseParams(aggregationSchema, { agg: 'top_labels', label_key: 'x"}' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });

  it('refuse a time bound past year 9999 (OpenSearch cannot hold it) as QUERY_INVALID', () => {
    expect(() => parseParams(aggregationSchema, { from: '0', to: '8640000000000000' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => parseParams(aggregationSchema, { to: '1e20' })).toThrowError(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(parseParams(aggregationSchema, { from: '0', to: String(Date.UTC(9999, 0, 1)) }).to).toBe(Date.UTC(9999, 0, 1));
  });
});
