import type { StoredRule } from './rule-store.ts';

/**
 * Sigma YAML of the given rules, one document each, as their authors wrote them (the
 * stored source of the current version). Importing it gives the same rules: same keys,
 * same content hashes, so into the same tenant every rule is "unchanged".
 * Detection rules come first, so a reader meets what a correlation refers to before it.
 */
export function exportSigma(rules: readonly StoredRule[]): string {
  const ordered = [...rules].sort((a, b) => (a.kind === b.kind ? (a.key < b.key ? -1 : 1) : a.kind === 'detection' ? -1 : 1));
  return ordered.map((r) => `${r.source.trimEnd()}\n`).join('---\n');
}
