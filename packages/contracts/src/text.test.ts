import { describe, expect, it } from 'vitest';
import { cutAtCodePoint } from './text.ts';

describe('cutAtCodePoint', () => {
  it('keeps short text, cuts long text, and never leaves half a surrogate pair', () => {
    expect(cutAtCodePoint('abc', 3)).toBe('abc');
    expect(cutAtCodePoint('abcdef', 3)).toBe('abc');
    expect(cutAtCodePoint('ab😀', 3)).toBe('ab');
    expect(cutAtCodePoint('a😀b', 3)).toBe('a😀');
  });
});
