import type { SigmaToken } from './sigma-string.ts';

export type StringTest = (text: string) => boolean;

export interface PatternOptions {
  /** `cased` (and encodings, whose alphabets are case-significant): compare exactly. */
  readonly caseSensitive: boolean;
  /** `windash`: every dash-like character in the value matches any of them. */
  readonly windash: boolean;
}

// The specification's windash set: hyphen-minus, slash, en dash, em dash, horizontal bar.
const dashes = '-/\u2013\u2014\u2015';
const dashClass = `[${dashes}]`;

// Only syntax characters may be escaped in a `u`-mode RegExp; escaping anything else is an error.
const escapeRegex = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

// A word character as Python's `re` (pySigma) sees it: letters, digits, underscore, any script.
const wordChar = /[\p{L}\p{N}_]/u;

/**
 * `windash` turns a `-` or `/` that starts a word (nothing word-like before it, a word
 * character after it, as pySigma's `\B[-/]\b`) into any of the five dashes: Windows flags
 * such as `-enc` or `/c`. A dash inside a word (`a-b`, `x64/arm`) stays itself, so
 * `a-b` does not match `a/b`.
 */
function textSource(text: string, windash: boolean): string {
  if (!windash) return escapeRegex(text);
  const chars = [...text];
  return chars
    .map((ch, i) => {
      const startsWord = (ch === '-' || ch === '/') && !wordChar.test(chars[i - 1] ?? '') && wordChar.test(chars[i + 1] ?? '');
      return startsWord ? dashClass : escapeRegex(ch);
    })
    .join('');
}

// Every character that case-folds onto an ASCII letter (even the Kelvin sign or the long s) is a
// single UTF-16 unit, so for an ASCII value a length mismatch proves an exact compare false.
// eslint-disable-next-line no-control-regex
const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

/**
 * Compiles a Sigma value into a test, once. Case-insensitive comparison uses RegExp `iu`
 * (Unicode simple case folding) everywhere, so exact, prefix and wildcard comparisons agree
 * on what "the same letter" means; testing a RegExp allocates nothing, unlike lowercasing
 * every field value.
 */
export function compilePattern(tokens: readonly SigmaToken[], options: PatternOptions): StringTest {
  const only = tokens.length === 1 ? tokens[0] : undefined;
  if (tokens.length === 0) return (text) => text === '';
  if (only?.kind === 'text' && !options.windash) return exactTest(only.text, options.caseSensitive);

  const first = 0;
  const last = tokens.length - 1;
  let source = tokens[first]?.kind === 'any' ? '' : '^';
  tokens.forEach((token, index) => {
    if (token.kind === 'text') source += textSource(token.text, options.windash);
    else if (token.kind === 'one') source += '.';
    // A leading or trailing `*` is just a missing anchor; inside, it is `.*` (dotAll: it spans newlines).
    else if (index !== first && index !== last) source += '.*';
  });
  if (tokens[last]?.kind !== 'any') source += '$';
  const regex = new RegExp(source, options.caseSensitive ? 'su' : 'isu');
  return (text) => regex.test(text);
}

function exactTest(text: string, caseSensitive: boolean): StringTest {
  if (caseSensitive) return (candidate) => candidate === text;
  const regex = new RegExp(`^${escapeRegex(text)}$`, 'iu');
  if (!isAscii(text)) return (candidate) => regex.test(candidate);
  const length = text.length;
  return (candidate) => candidate.length === length && regex.test(candidate);
}
