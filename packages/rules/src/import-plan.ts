import { chainGaps, compileDocument, compileRuleSet, parseDocuments, unknownAliasRules, type CorrelationNode, type RuleDocument, type RuleProblem, type RuleSetEntry } from '@vigil/detection';
import { contentHash } from './content-hash.ts';

/** What a tenant already has, as far as an import needs to know. */
export interface ExistingRule {
  readonly key: string;
  readonly version: number;
  readonly contentHash: string;
  readonly deleted: boolean;
}

export type ImportStatus = 'imported' | 'updated' | 'unchanged' | 'rejected';

/** The report line for one document of the file. */
export interface ImportResult {
  readonly document: number;
  readonly line: number | null;
  readonly key: string | null;
  readonly title: string | null;
  readonly kind: RuleDocument['kind'] | null;
  readonly status: ImportStatus;
  /** The version the rule has after the import (absent when rejected). */
  readonly version?: number;
  readonly problems?: readonly RuleProblem[];
  readonly warnings?: readonly string[];
}

export interface PlannedWrite {
  readonly rule: RuleDocument;
  readonly version: number;
  readonly source: string;
  readonly contentHash: string;
  readonly isNew: boolean;
}

export interface ImportPlan {
  readonly results: readonly ImportResult[];
  readonly writes: readonly PlannedWrite[];
}

/**
 * Decides, without I/O, what importing `text` does to a tenant's rules: each document
 * is imported, updated as a new version, unchanged, or rejected with every reason.
 * References are checked against the tenant's other rules, so a chain split across
 * imports works and a reference cycle is refused.
 */
export function planImport(text: string, existing: ReadonlyMap<string, ExistingRule>, others: readonly RuleSetEntry[]): ImportPlan {
  const parsed = parseDocuments(text);
  const results: ImportResult[] = parsed.problems.map((problem) => ({
    document: Number(/document\[(\d+)\]/.exec(problem.path)?.[1] ?? 0), line: problem.line ?? null, key: null, title: null, kind: null, status: 'rejected', problems: [problem],
  }));
  const accepted: Array<{ rule: RuleDocument; source: string; hash: string; document: number; line: number }> = [];
  const seen = new Map<string, number>();
  for (const doc of parsed.documents) {
    const compiled = compileDocument(doc);
    if (!compiled.ok) {
      results.push({ document: doc.index, line: doc.line, key: compiled.key, title: compiled.title, kind: null, status: 'rejected', problems: compiled.problems });
      continue;
    }
    const key = compiled.rule.key;
    if (seen.has(key)) {
      results.push({ document: doc.index, line: doc.line, key, title: compiled.rule.title, kind: compiled.rule.kind, status: 'rejected', problems: [{ path: 'id', line: doc.locate(['id']), message: `the file defines rule ${key} twice (documents ${seen.get(key)} and ${doc.index})` }] });
      continue;
    }
    seen.set(key, doc.index);
    accepted.push({ rule: compiled.rule, source: doc.source, hash: contentHash(doc.value), document: doc.index, line: doc.line });
  }

  // The tenant's rule set as it would be after the import: cycles and dangling labels show here.
  const incoming = new Set(accepted.map((a) => a.rule.key));
  const stored = others.filter((o) => !incoming.has(o.rule.key));
  const set = compileRuleSet([...stored, ...accepted.map((a) => ({ rule: a.rule, version: 1 }))]);
  const onCycle = new Set(set.cyclic);
  const known = new Set<string>([...others, ...accepted].flatMap((e) => [e.rule.key, e.rule.id, e.rule.name].filter((x): x is string => !!x)));

  const writes: PlannedWrite[] = [];
  // Labels taken so far: the stored rules', then each accepted document's in file order (the first to claim a label keeps it).
  const claimed = stored.map((o) => o.rule);
  for (const a of accepted) {
    const base = { document: a.document, line: a.line, key: a.rule.key, title: a.rule.title, kind: a.rule.kind };
    const clash = labelClash(a.rule, claimed);
    claimed.push(a.rule);
    if (onCycle.has(a.rule.key)) {
      results.push({ ...base, status: 'rejected', problems: [{ path: 'correlation.rules', message: `rule ${a.rule.key} is part of a reference cycle; correlations must form a chain` }] });
      continue;
    }
    if (clash) {
      results.push({ ...base, status: 'rejected', problems: [clash] });
      continue;
    }
    const node = set.correlations.find((n) => n.key === a.rule.key);
    const strays = node ? unknownAliasRules(node) : [];
    if (strays.length > 0) {
      results.push({ ...base, status: 'rejected', problems: [{ path: 'correlation.aliases', message: `aliases name ${strays.map((n) => `"${n}"`).join(', ')}, which no rules: entry refers to (by the label as written, or the rule's name or id)` }] });
      continue;
    }
    const warnings = warningsOf(a.rule, node, known);
    const before = existing.get(a.rule.key);
    const withWarnings = warnings.length > 0 ? { warnings } : {};
    if (before && !before.deleted && before.contentHash === a.hash) {
      results.push({ ...base, status: 'unchanged', version: before.version, ...withWarnings });
      continue;
    }
    const version = (before?.version ?? 0) + 1;
    writes.push({ rule: a.rule, version, source: a.source, contentHash: a.hash, isNew: !before });
    results.push({ ...base, status: before ? 'updated' : 'imported', version, ...withWarnings });
  }
  results.sort((x, y) => x.document - y.document);
  return { results, writes };
}

/**
 * A `rules:` entry names a rule by id, name or key: a name (or id) that another rule of the
 * tenant already uses would make such an entry mean whichever rule was loaded last.
 */
function labelClash(rule: RuleDocument, all: readonly RuleDocument[]): RuleProblem | null {
  for (const [attribute, label] of [['name', rule.name], ['id', rule.id]] as const) {
    if (!label) continue;
    const other = all.find((o) => o.key !== rule.key && (o.id === label || o.name === label || o.key === label));
    if (other) return { path: attribute, message: `${attribute} "${label}" is already used by rule ${other.key} ("${other.title}"); a correlation's rules: entry would not know which one it names` };
  }
  return null;
}

/** What the import report points out about a correlation that is accepted as it is. */
function warningsOf(rule: RuleDocument, node: CorrelationNode | undefined, known: ReadonlySet<string>): string[] {
  if (rule.kind !== 'correlation') return [];
  return [
    ...rule.correlation.rules.filter((label) => !known.has(label)).map((label) => `rules entry "${label}" names no rule of this tenant; it matches alerts whose rule_id or rule_name is "${label}"`),
    ...(node ? chainGaps(node) : []).map(({ child, missing }) => `firings of "${child}" carry only its own group-by values, not ${missing.map((m) => `"${m}"`).join(', ')}: group "${child}" by them too (or alias them), or this correlation never sees its firings`),
  ];
}
