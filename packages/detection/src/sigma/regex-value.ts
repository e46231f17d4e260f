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
  const allFlags = [...new Set(flags + (inline?.[1] ?? ''))].join('');
  try {
    return new RegExp(source, allFlags);
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
}
