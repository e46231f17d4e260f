import { describe, expect, it } from 'vitest';
import { chunkItems, outcomeOf, splitAlertFile, toNdjson } from './send-files.ts';
import { createProgress, progressLine } from './send-progress.ts';

describe('splitAlertFile', () => {
  it('reads a JSON array as one record per element, named by index', () => {
    expect(splitAlertFile('a.json', '[{"x":1},\n {"y":2}]')).toEqual({
      items: [
        { source: 'a.json[0]', line: '{"x":1}' },
        { source: 'a.json[1]', line: '{"y":2}' },
      ],
      invalid: [],
    });
  });

  it('reads one (pretty-printed) JSON object as one record', () => {
    expect(splitAlertFile('one.json', '\uFEFF{\n  "rule": {"id": "r"}\n}\n').items).toEqual([{ source: 'one.json', line: '{"rule":{"id":"r"}}' }]);
  });

  it('reads NDJSON line by line, skipping blank lines and keeping line numbers', () => {
    expect(splitAlertFile('b.ndjson', '{"x":1}\r\n\n  {"y":2}  \n').items).toEqual([
      { source: 'b.ndjson:1', line: '{"x":1}' },
      { source: 'b.ndjson:3', line: '{"y":2}' },
    ]);
  });

  it('reports lines that are not JSON with their line in the file, and does not send them', () => {
    const split = splitAlertFile('c.ndjson', '{"x":1}\nnot json\n\n{"y":');
    expect(split.items.map((i) => i.source)).toEqual(['c.ndjson:1']);
    expect(split.invalid).toEqual([
      { source: 'c.ndjson:2', code: 'REQUEST_BODY_INVALID_JSON', path: '', message: 'not valid JSON' },
      { source: 'c.ndjson:4', code: 'REQUEST_BODY_INVALID_JSON', path: '', message: 'not valid JSON' },
    ]);
  });

  it('sends JSON that is not an alert (a scalar, null) for the gateway to judge', () => {
    expect(splitAlertFile('s.ndjson', '42\nnull\n"x"').items).toHaveLength(3);
  });

  it('reads a broken JSON array as lines rather than failing the file', () => {
    expect(splitAlertFile('d.json', '[{"x":1},\n{"y":').invalid).toHaveLength(2);
  });

  it('gives an empty file no records', () => {
    expect(splitAlertFile('e.ndjson', '\n\n')).toEqual({ items: [], invalid: [] });
    expect(splitAlertFile('f.json', '[]')).toEqual({ items: [], invalid: [] });
  });
});

describe('chunkItems', () => {
  const items = (n: number, size = 1) => Array.from({ length: n }, (_, i) => ({ source: `f:${i + 1}`, line: 'x'.repeat(size) }));

  it('cuts batches at the record count', () => {
    expect(chunkItems(items(5), 2, 1_000).map((b) => b.length)).toEqual([2, 2, 1]);
  });

  it('cuts batches at the byte budget, and sends an oversized record alone', () => {
    expect(chunkItems(items(4, 9), 100, 20).map((b) => b.length)).toEqual([2, 2]);
    expect(chunkItems([...items(1, 50), ...items(2, 1)], 100, 20).map((b) => b.length)).toEqual([1, 2]);
  });

  it('joins a batch as NDJSON', () => {
    expect(toNdjson([{ source: 'a', line: '{"a":1}' }, { source: 'b', line: '{"b":2}' }])).toBe('{"a":1}\n{"b":2}');
  });
});

describe('outcomeOf', () => {
  const batch = [
    { source: 'f:1', line: '{}' },
    { source: 'f:2', line: '{}' },
  ];

  it('maps per-record results back to their sources', () => {
    const body = { accepted: 1, rejected: 1, results: [{ index: 0, status: 'accepted', id: 'x' }, { index: 1, status: 'rejected', error: { code: 'ALERT_TIMESTAMP_INVALID', path: 'event_time', message: 'too old' } }] };
    expect(outcomeOf(batch, 207, body)).toEqual({ accepted: 1, rejected: [{ source: 'f:2', code: 'ALERT_TIMESTAMP_INVALID', path: 'event_time', message: 'too old' }] });
  });

  it('applies a whole-request error to every record', () => {
    const outcome = outcomeOf(batch, 401, { error: { code: 'AUTH_TOKEN_INVALID', message: 'expired' } });
    expect(outcome.accepted).toBe(0);
    expect(outcome.rejected.map((r) => [r.source, r.code])).toEqual([
      ['f:1', 'AUTH_TOKEN_INVALID'],
      ['f:2', 'AUTH_TOKEN_INVALID'],
    ]);
  });

  it('still accounts for every record when the answer is not JSON', () => {
    expect(outcomeOf(batch, 502, null).rejected.map((r) => r.code)).toEqual(['HTTP_502', 'HTTP_502']);
  });
});

describe('progress', () => {
  it('draws a bar on a terminal and plain lines elsewhere', () => {
    expect(progressLine(10, 5, 4, 1, true)).toBe(`[${'#'.repeat(15)}${'.'.repeat(15)}] 5/10 records, 4 accepted, 1 rejected`);
    const written: string[] = [];
    const plain = createProgress({ isTTY: false, write: (t) => written.push(t) });
    plain.start(2);
    plain.update(2, 2, 0);
    plain.stop();
    expect(written).toEqual(['2/2 records, 2 accepted, 0 rejected\n']);
  });
});
