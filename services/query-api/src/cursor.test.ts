import { describe, expect, it } from 'vitest';
import { createCursorCodec, queryHash } from './cursor.ts';

const codec = createCursorCodec('k'.repeat(32));
const base = { tn: 'acme', kind: 'alerts', qh: queryHash({ q: 'x' }), sa: [1, 'id'], pit: null, seen: 50, exp: 2_000 };
const expect_ = { tenant: 'acme', kind: 'alerts', queryHash: base.qh, now: 1_000 };

describe('cursor codec', () => {
  it('round-trips a cursor for the same tenant and parameters', () => {
    expect(codec.decode(codec.encode(base), expect_)).toMatchObject({ tn: 'acme', sa: [1, 'id'], seen: 50 });
  });

  it('refuses another tenant, other parameters, expiry, tampering and another key', () => {
    const token = codec.encode(base);
    const bad = [
      () => codec.decode(token, { ...expect_, tenant: 'globex' }),
      () => codec.decode(token, { ...expect_, queryHash: queryHash({ q: 'y' }) }),
      () => codec.decode(token, { ...expect_, kind: 'incidents' }),
      () => codec.decode(token, { ...expect_, now: 3_000 }),
      () => codec.decode(`${Buffer.from(JSON.stringify({ v: 1, ...base, tn: 'globex' })).toString('base64url')}.${token.split('.')[1]}`, { ...expect_, tenant: 'globex' }),
      () => createCursorCodec('z'.repeat(32)).decode(token, expect_),
      () => codec.decode('garbage', expect_),
    ];
    for (const attempt of bad) expect(attempt).toThrowError(expect.objectContaining({ code: 'CURSOR_INVALID' }));
  });

  it('hashes parameters independently of key order', () => {
    expect(queryHash({ a: 1, b: [2] })).toBe(queryHash({ b: [2], a: 1 }));
    expect(queryHash({ a: 1 })).not.toBe(queryHash({ a: 2 }));
  });
});
