import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Of, base64OffsetVariants } from './base64.ts';

describe('base64', () => {
  it('encodes UTF-8 with padding', () => {
    expect(base64Of('http://')).toBe('aHR0cDovLw==');
    expect(base64Of('é')).toBe('w6k=');
  });

  it('base64offset gives the fixed middle of each alignment', () => {
    expect(base64OffsetVariants('/bin/sh')).toEqual(['L2Jpbi9za', '9iaW4vc2', 'vYmluL3No']);
  });

  it('one variant is found in the encoding of any text around the value', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 2 }), fc.string(), (before, value, after) => {
        const encoded = base64Of(before + value + after);
        expect(base64OffsetVariants(value).some((variant) => encoded.includes(variant))).toBe(true);
      }),
    );
  });
});
