import { describe, expect, it } from 'vitest';
import { itemResult, type BulkOp } from './bulk-write.ts';

const merge: BulkOp = { kind: 'merge', index: 'i', id: '1', doc: {}, upsert: {} };
const versioned: BulkOp = { kind: 'versioned', index: 'i', id: '1', version: 2, doc: {} };

describe('itemResult', () => {
  it.each([
    ['created', merge, { status: 201 }, { ok: true }],
    ['updated', merge, { status: 200 }, { ok: true }],
    ['older revision already stored (a replay)', versioned, { status: 409, error: { type: 'version_conflict_engine_exception' } }, { ok: true }],
  ])('%s → done', (_name, op, item, expected) => {
    expect(itemResult(op, item)).toEqual(expected);
  });

  it.each([
    ['merge conflict after retries', merge, { status: 409 }],
    ['cluster pushback', merge, { status: 429 }],
    ['shard unavailable', versioned, { status: 503 }],
    ['missing item', merge, undefined],
  ])('%s → retriable', (_name, op, item) => {
    expect(itemResult(op, item)).toMatchObject({ ok: false, retriable: true });
  });

  it('treats a mapping error as permanent, with the reason for the dead letter', () => {
    const result = itemResult(merge, { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [src_ip] of type [ip]' } });
    expect(result).toEqual({ ok: false, retriable: false, outage: false, reason: 'mapper_parsing_exception: failed to parse field [src_ip] of type [ip]' });
  });
});
