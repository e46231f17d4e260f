import type { FieldValue } from '../fields/index.ts';
import type { CorrelationNode, EventSource } from './correlation-node.ts';

/** How the engine reads a field of an incoming event (an alert, or a chained firing). */
export type FieldReader = (name: string) => FieldValue | undefined;

/**
 * The field an event of `rules:` entry `refIndex` is read from for `name`: an alias maps
 * it per referenced rule (by the label as written, or the rule's name or id).
 */
export function resolveField(node: CorrelationNode, refIndex: number, name: string): string {
  const alias = node.spec.aliases[name];
  if (!alias) return name;
  for (const n of namesOf(node, refIndex)) if (alias[n] !== undefined) return alias[n]!;
  return name;
}

/** What an alias may call the rule of `rules:` entry `refIndex`: the label as written, the rule's name or id. */
function namesOf(node: CorrelationNode, refIndex: number): string[] {
  const source: EventSource = node.sources[refIndex]!;
  const names = [node.spec.rules[refIndex]!, ...(source.kind === 'detection' ? [source.name, source.id] : source.kind === 'correlation' ? [source.node.name, source.node.id] : [])];
  return names.filter((n): n is string => !!n);
}

/** Rule names in `aliases` that no `rules:` entry goes by: a typo there would silently group by the unaliased field. */
export function unknownAliasRules(node: CorrelationNode): string[] {
  const known = new Set(node.spec.rules.flatMap((_, i) => namesOf(node, i)));
  return [...new Set(Object.values(node.spec.aliases).flatMap((mapping) => Object.keys(mapping)))].filter((name) => !known.has(name));
}

export type GroupOf =
  | { readonly ok: true; readonly key: string; readonly values: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly missing: string };

/**
 * The group an event belongs to: the tuple of its group-by values. An event without one
 * of them joins no group (grouping it under "missing" would correlate unrelated alerts).
 */
export function groupOf(node: CorrelationNode, refIndex: number, read: FieldReader): GroupOf {
  const values: Record<string, string> = {};
  const tuple: string[] = [];
  for (const name of node.spec.groupBy) {
    const value = read(resolveField(node, refIndex, name));
    if (value === undefined || value === '') return { ok: false, missing: name };
    values[name] = String(value);
    tuple.push(String(value));
  }
  return { ok: true, key: JSON.stringify(tuple), values };
}

/** The group key is the JSON tuple of group-by values, in group-by order. */
export function groupValuesOf(node: CorrelationNode, groupKey: string): Record<string, string> {
  const tuple = JSON.parse(groupKey) as string[];
  return Object.fromEntries(node.spec.groupBy.map((name, i) => [name, tuple[i] ?? '']));
}

/**
 * For each correlation this one chains on: the group-by fields a firing of it cannot carry.
 * A firing has only its own group-by values, so a parent grouping by anything else never
 * sees it (the import warns; the specification's example groups the child by another field).
 */
export function chainGaps(node: CorrelationNode): Array<{ child: string; missing: string[] }> {
  const gaps: Array<{ child: string; missing: string[] }> = [];
  node.sources.forEach((source, refIndex) => {
    if (source.kind !== 'correlation') return;
    const carried = new Set(source.node.spec.groupBy);
    const missing = node.spec.groupBy.filter((name) => !carried.has(resolveField(node, refIndex, name)));
    if (missing.length > 0) gaps.push({ child: node.spec.rules[refIndex]!, missing });
  });
  return gaps;
}
