import { describe, expect, it } from 'vitest';
import { heapLimitArgs, heapLimitsMb } from './heap-limits.ts';

describe('heap limits', () => {
  it('gives every service its default old-space limit', () => {
    expect(heapLimitArgs('ingest-api', {})).toEqual([`--max-old-space-size=${heapLimitsMb['ingest-api']}`]);
    expect(heapLimitArgs('correlate', {})).toEqual([`--max-old-space-size=${heapLimitsMb.correlate}`]);
  });

  it('takes a per-service override, 0 meaning V8 decides', () => {
    expect(heapLimitArgs('ingest-api', { VIGIL_MAX_OLD_SPACE_MB_INGEST_API: '300' })).toEqual(['--max-old-space-size=300']);
    expect(heapLimitArgs('dedup', { VIGIL_MAX_OLD_SPACE_MB_DEDUP: '0' })).toEqual([]);
    expect(() => heapLimitArgs('dedup', { VIGIL_MAX_OLD_SPACE_MB_DEDUP: 'lots' })).toThrow(/whole number/);
  });
});
