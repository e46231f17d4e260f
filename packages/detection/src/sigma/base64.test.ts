import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Of, base64OffsetVariants, encodeText } from './base64.ts';

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

describe('UTF-16 before base64', () => {
  it('encodes the specification examples', () => {
    expect([...encodeText('cmd', 'utf16le')]).toEqual([0x63, 0, 0x6d, 0, 0x64, 0]);
    expect([...encodeText('cmd', 'utf16be')]).toEqual([0, 0x63, 0, 0x6d, 0, 0x64]);
    expect([...encodeText('cmd', 'utf16')]).toEqual([0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0]);
  });

  it('a UTF-16LE variant is found in the encoding of any UTF-16LE text around the value', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string(), (before, value, after) => {
        const encoded = Buffer.from(before + value + after, 'utf16le').toString('base64');
        expect(base64OffsetVariants(value, 'utf16le').some((variant) => encoded.includes(variant))).toBe(true);
      }),
    );
  });
});
