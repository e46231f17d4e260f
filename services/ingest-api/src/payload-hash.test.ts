import { describe, expect, it } from 'vitest';
import { payloadHash } from './payload-hash.ts';

describe('payloadHash', () => {
  it('ignores key order and number spelling', () => {
    expect(payloadHash('vigil', { a: 1, b: { c: [1, 2], d: 1.0 } })).toBe(payloadHash('vigil', { b: { d: 1, c: [1, 2] }, a: 1e0 }));
  });
  it('differs by value, array order and format', () => {
    const base = payloadHash('vigil', { a: [1, 2] });
    expect(payloadHash('vigil', { a: [2, 1] })).not.toBe(base);
    expect(payloadHash('vigil', { a: [1, 3] })).not.toBe(base);
    expect(payloadHash('suricata', { a: [1, 2] })).not.toBe(base);
  });
});

describe('payloadHash of numbers JSON.parse cannot represent', () => {
  it('hashes 1e400 (Infinity after parsing) like JSON.stringify writes it, instead of throwing', () => {
    const parsed = JSON.parse('{"a":[1e400,-1e400],"b":{"c":1e400}}') as unknown;
    expect(payloadHash('vigil', parsed)).toBe(payloadHash('vigil', { a: [null, null], b: { c: null } }));
  });
  it('keeps a constructor key as data', () => {
    expect(payloadHash('vigil', JSON.parse('{"constructor":{"prototype":1}}'))).not.toBe(payloadHash('vigil', {}));
  });
});
