/**
 * A Sigma string value split into literal text and wildcards. `*` is any run of characters,
 * `?` exactly one. Escaping follows the specification's "Escaping" section: `\*`, `\?` and `\\`
 * stand for the character after the backslash; a backslash before anything else is literal. So
 * `C:\Windows` and `C:\\Windows` are the same value, `\\*` is a backslash then a wildcard, and
 * `\\\*` a backslash then a plain star.
 */
export type SigmaToken = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'any' } | { readonly kind: 'one' };

const anyToken: SigmaToken = { kind: 'any' };
const oneToken: SigmaToken = { kind: 'one' };

export function parseSigmaString(value: string): SigmaToken[] {
  const tokens: SigmaToken[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') tokens.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        text += next;
        i++;
      } else {
        text += ch;
      }
    } else if (ch === '*') {
      flush();
      // `**` means the same as `*`; one token keeps the compiled pattern free of `.*.*` backtracking.
      if (tokens.at(-1)?.kind !== 'any') tokens.push(anyToken);
    } else if (ch === '?') {
      flush();
      tokens.push(oneToken);
    } else {
      text += ch;
    }
  }
  flush();
  return tokens;
}

/** A value whose characters are all taken literally, e.g. the output of base64 encoding. */
export function literalTokens(text: string): SigmaToken[] {
  return text === '' ? [] : [{ kind: 'text', text }];
}

export const hasWildcards = (tokens: readonly SigmaToken[]): boolean => tokens.some((token) => token.kind !== 'text');

/** `contains` / `startswith` / `endswith`: put an unbounded wildcard at the open end(s). */
export function wrapTokens(tokens: readonly SigmaToken[], start: boolean, end: boolean): SigmaToken[] {
  const wrapped = [...tokens];
  if (start && wrapped[0]?.kind !== 'any') wrapped.unshift(anyToken);
  if (end && wrapped.at(-1)?.kind !== 'any') wrapped.push(anyToken);
  return wrapped;
}
