// PCRE-style rules often open with inline flags, e.g. `(?i)`, which JavaScript RegExp (before
// Node 23) rejects. A leading group of the flags Sigma defines means the same as the sub-modifiers.
const leadingFlags = /^\(\?([ims]+)\)/;

/**
 * Compiles a `re` value. Case-sensitive unless `re|i` (or a leading `(?i)`); `m` and `s` as in
 * PCRE. No `u` flag: PCRE accepts escapes such as `\-` or `\_` that a `u`-mode RegExp rejects.
 * Returns the error sentence when the pattern is not a valid regular expression.
 */
export function compileRegex(pattern: string, flags: string): RegExp | string {
  const inline = leadingFlags.exec(pattern);
  const source = inline === null ? pattern : pattern.slice(inline[0].length);
  const foreign = pcreOnlyEscape(source);
  if (foreign) return `"${foreign}" is a PCRE escape JavaScript reads differently (as a plain letter); ${pcreHints[foreign[1]!] ?? 'rewrite it with the metacharacters the specification lists'}`;
  const allFlags = [...new Set(flags + (inline?.[1] ?? ''))].join('');
  try {
    return new RegExp(source, allFlags);
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
}

/**
 * PCRE escapes a JavaScript RegExp without the `u` flag silently takes as the letter itself
 * (`\Z` would match "Z"): a rule using them would load with another meaning, so it is refused.
 */
const pcreHints: Readonly<Record<string, string>> = {
  A: 'use ^ (without the m flag)',
  Z: 'use $ (without the m flag)',
  z: 'use $ (without the m flag)',
  h: 'use [ \\t]',
  H: 'use [^ \\t]',
  R: 'use (?:\\r\\n|\\n|\\r)',
};

function pcreOnlyEscape(source: string): string | null {
  // Walk escapes pairwise so `\\Z` (a backslash, then Z) is not mistaken for `\Z`.
  for (let i = 0; i < source.length - 1; i += 1) {
    if (source[i] !== '\\') continue;
    const next = source[i + 1]!;
    if ('AZzhHRGKQEXC'.includes(next)) return `\\${next}`;
    i += 1;
  }
  return null;
}
