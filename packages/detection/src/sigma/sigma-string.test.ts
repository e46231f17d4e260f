import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSigmaString, wrapTokens } from './sigma-string.ts';
import { compilePattern } from './string-pattern.ts';

/** What a rule author writes to mean `text` literally. */
const escapeSigma = (text: string): string => text.replace(/[\\*?]/g, '\\$&');

describe('parseSigmaString', () => {
  it.each([
    ['plain', 'abc', [{ kind: 'text', text: 'abc' }]],
    ['wildcards', 'a*b?', [{ kind: 'text', text: 'a' }, { kind: 'any' }, { kind: 'text', text: 'b' }, { kind: 'one' }]],
    ['** is one *', 'a**', [{ kind: 'text', text: 'a' }, { kind: 'any' }]],
    ['\\* and \\?', 'a\\*\\?', [{ kind: 'text', text: 'a*?' }]],
    ['\\\\ is one backslash', 'a\\\\b', [{ kind: 'text', text: 'a\\b' }]],
    ['backslash before another character', 'C:\\Windows', [{ kind: 'text', text: 'C:\\Windows' }]],
    ['\\\\* is backslash, wildcard', '\\\\*', [{ kind: 'text', text: '\\' }, { kind: 'any' }]],
    ['\\\\\\* is backslash, star', '\\\\\\*', [{ kind: 'text', text: '\\*' }]],
    ['three backslashes are two', 'a\\\\\\b', [{ kind: 'text', text: 'a\\\\b' }]],
    ['empty', '', []],
  ])('%s', (_, value, tokens) => expect(parseSigmaString(value)).toEqual(tokens));
});

describe('escaped text is matched literally', () => {
  const insensitive = { caseSensitive: false, windash: false };

  it('equals itself in any case, and only itself', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (text, other) => {
        const test = compilePattern(parseSigmaString(escapeSigma(text)), insensitive);
        expect(test(text)).toBe(true);
        expect(test(text.toUpperCase())).toBe(true);
        expect(test(text + other)).toBe(false);
      }),
    );
  });

  it('contains finds it anywhere and wildcards in the text stay literal', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (before, text, after) => {
        const test = compilePattern(wrapTokens(parseSigmaString(escapeSigma(text)), true, true), insensitive);
        expect(test(before + text + after)).toBe(true);
        if (text.includes('*')) expect(test(text.replaceAll('*', ''))).toBe(text.replaceAll('*', '').toLowerCase().includes(text.toLowerCase()));
      }),
    );
  });

  it('cased exact compare agrees with ===', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, candidate) => {
        expect(compilePattern(parseSigmaString(escapeSigma(text)), { caseSensitive: true, windash: false })(candidate)).toBe(candidate === text);
      }),
    );
  });
});
