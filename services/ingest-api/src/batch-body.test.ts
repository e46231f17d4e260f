import { describe, expect, it } from 'vitest';
import { ndjsonBody, ndjsonTextOf, splitBatch } from './batch-body.ts';

const limits = { maxRecords: 10, maxDepth: 3 };

describe('splitBatch', () => {
  it('accepts a JSON array', () => {
    expect(splitBatch([{ a: 1 }, { b: 2 }], limits)).toEqual([{ ok: true, record: { a: 1 } }, { ok: true, record: { b: 2 } }]);
  });
  it('splits NDJSON and keeps bad lines as rejections', () => {
    const entries = splitBatch(ndjsonBody('{"a":1}\r\n\nnot json\n{"b":2}\n'), limits);
    expect(entries.map((e) => e.ok)).toEqual([true, false, true]);
    expect(entries[1]).toMatchObject({ code: 'REQUEST_BODY_INVALID_JSON', message: 'line 2 is not valid JSON' });
  });
  it('rejects an NDJSON line nested deeper than the cap, and only that line', () => {
    const entries = splitBatch(ndjsonBody('{"a":{"b":{"c":1}}}\n{"a":{"b":{"c":{"d":1}}}}\n'), limits);
    expect(entries[0]).toMatchObject({ ok: true });
    expect(entries[1]).toMatchObject({ ok: false, code: 'REQUEST_BODY_TOO_DEEP' });
  });
  it('survives a line nested 200,000 levels deep', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(splitBatch(ndjsonBody(`{"a":1}\n${deep}`), limits)[1]).toMatchObject({ ok: false, code: 'REQUEST_BODY_TOO_DEEP' });
  });
  it('refuses more records than the cap with REQUEST_TOO_LARGE, also before parsing NDJSON', () => {
    expect(() => splitBatch([1, 2, 3], { ...limits, maxRecords: 2 })).toThrowError(expect.objectContaining({ code: 'REQUEST_TOO_LARGE' }));
    expect(() => splitBatch(ndjsonBody('x\ny\nz'), { ...limits, maxRecords: 2 })).toThrowError(expect.objectContaining({ code: 'REQUEST_TOO_LARGE' }));
  });
  it('never reads a JSON string body as NDJSON', () => {
    expect(() => splitBatch('{"a":1}\n{"b":2}', limits)).toThrowError(expect.objectContaining({ code: 'ALERT_SCHEMA_INVALID' }));
    expect(ndjsonTextOf('{"a":1}')).toBeNull();
    expect(ndjsonTextOf(JSON.parse('{"text":"x"}'))).toBeNull();
    expect(ndjsonTextOf(ndjsonBody('x'))).toBe('x');
  });
  it('refuses an empty batch and a non-array object', () => {
    expect(() => splitBatch([], limits)).toThrowError(expect.objectContaining({ code: 'ALERT_SCHEMA_INVALID' }));
    expect(() => splitBatch(ndjsonBody('\n \n'), limits)).toThrowError(expect.objectContaining({ code: 'ALERT_SCHEMA_INVALID' }));
    expect(() => splitBatch({ a: 1 }, limits)).toThrowError(expect.objectContaining({ code: 'ALERT_SCHEMA_INVALID' }));
  });
});
