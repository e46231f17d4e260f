import type { Alert, Severity } from '@vigil/contracts';
import type { CorrelationNode, EventSource } from '../correlation/correlation-node.ts';
import { defaultRuleSettings, type RuleSettings } from '../correlation/rule-settings.ts';
import type { RuleProblem } from '../rule-problem.ts';
import type { CompiledDetection } from '../sigma/index.ts';
import type { RuleDocument } from './rule-document.ts';

/** One stored rule as the engine takes it: the compiled document, its version and settings. */
export interface RuleSetEntry {
  readonly rule: RuleDocument;
  readonly version: number;
  readonly settings?: RuleSettings | undefined;
}

export interface DetectionRoute {
  readonly key: string;
  readonly title: string;
  readonly level: Severity | null;
  readonly detection: CompiledDetection;
  /** A correlation that refers to this detection says `generate: true`: matches become alerts of their own. */
  readonly generate: boolean;
  readonly targets: ReadonlyArray<{ readonly node: CorrelationNode; readonly refIndex: number }>;
}

/** A tenant's enabled rules, compiled once per change and shared by every alert. */
export interface CompiledRuleSet {
  /** Children before parents. */
  readonly correlations: readonly CorrelationNode[];
  /** The same correlations by state key (rule version): how stored state finds its rule. */
  readonly byStateKey: ReadonlyMap<string, CorrelationNode>;
  /** Detection rules that feed a correlation, each evaluated once per alert. */
  readonly detections: readonly DetectionRoute[];
  /** alert rule_id (exact) or rule_name (lower-cased) → the correlations it feeds. */
  readonly alertRules: ReadonlyMap<string, ReadonlyArray<{ readonly node: CorrelationNode; readonly refIndex: number }>>;
  readonly problems: readonly RuleProblem[];
  /** Keys of correlations left out because they are on a reference cycle. */
  readonly cyclic: readonly string[];
}

type MutableNode = { -readonly [K in keyof CorrelationNode]: CorrelationNode[K] } & { sources: EventSource[]; parents: { node: CorrelationNode; refIndex: number }[] };

/**
 * Resolves `rules:` references across the tenant's documents: a label names a rule of the
 * set by id or name (a detection or another correlation); any other label is the
 * sensor's own detection (an alert's rule_id or rule_name). Cycles are refused.
 */
export function compileRuleSet(entries: readonly RuleSetEntry[]): CompiledRuleSet {
  const problems: RuleProblem[] = [];
  // A label names a rule by its id, else its name, else its key (docs/correlation.md);
  // the import refuses a name or id another rule already uses, so each label is one rule.
  const [byId, byName, byKey] = [new Map<string, RuleSetEntry>(), new Map<string, RuleSetEntry>(), new Map<string, RuleSetEntry>()];
  for (const entry of entries) {
    for (const [map, label] of [[byId, entry.rule.id], [byName, entry.rule.name], [byKey, entry.rule.key]] as const) {
      if (label && !map.has(label)) map.set(label, entry);
    }
  }
  const byLabel = { get: (label: string) => byId.get(label) ?? byName.get(label) ?? byKey.get(label) };
  const nodes = new Map<string, MutableNode>();
  for (const entry of entries) {
    if (entry.rule.kind !== 'correlation') continue;
    const r = entry.rule;
    nodes.set(r.key, {
      key: r.key, version: entry.version, name: r.name, id: r.id, title: r.title, level: r.level, tags: r.tags, spec: r.correlation,
      settings: entry.settings ?? defaultRuleSettings, stateKey: `${r.key}@${entry.version}`, sources: [], parents: [], raisesIncidents: true,
    });
  }
  for (const node of nodes.values()) {
    for (const label of node.spec.rules) {
      const target = byLabel.get(label);
      if (!target) node.sources.push({ kind: 'alert-rule', label });
      else if (target.rule.kind === 'detection') node.sources.push({ kind: 'detection', key: target.rule.key, name: target.rule.name, id: target.rule.id, detection: target.rule.detection });
      else node.sources.push({ kind: 'correlation', node: nodes.get(target.rule.key)! });
    }
  }
  const ordered = topologicalOrder([...nodes.values()], problems);
  const live = new Set(ordered.map((n) => n.key));
  for (const node of ordered) {
    node.sources.forEach((source, refIndex) => {
      if (source.kind === 'correlation') (source.node as MutableNode).parents.push({ node, refIndex });
    });
  }
  for (const node of ordered) {
    if (node.parents.length > 0) node.raisesIncidents = node.parents.some((p) => p.node.spec.generate);
  }

  const detections = new Map<string, { key: string; title: string; level: Severity | null; detection: CompiledDetection; generate: boolean; targets: { node: CorrelationNode; refIndex: number }[] }>();
  const docs = new Map(entries.map((e) => [e.rule.key, e.rule]));
  const alertRules = new Map<string, { node: CorrelationNode; refIndex: number }[]>();
  for (const node of ordered) {
    node.sources.forEach((source, refIndex) => {
      if (source.kind === 'detection') {
        const doc = docs.get(source.key)!;
        const route = detections.get(source.key) ?? { key: source.key, title: doc.title, level: doc.level, detection: source.detection, generate: false, targets: [] };
        route.targets.push({ node, refIndex });
        route.generate ||= node.spec.generate;
        detections.set(source.key, route);
      } else if (source.kind === 'alert-rule') {
        for (const label of new Set([source.label, source.label.toLowerCase()])) {
          const list = alertRules.get(label) ?? [];
          list.push({ node, refIndex });
          alertRules.set(label, list);
        }
      }
    });
  }
  const cyclic = [...nodes.keys()].filter((key) => !live.has(key));
  return Object.freeze({ correlations: ordered, byStateKey: new Map(ordered.map((n) => [n.stateKey, n])), detections: [...detections.values()], alertRules, problems, cyclic });
}

/** Kahn's algorithm; nodes on a cycle are left out and reported. */
function topologicalOrder(nodes: MutableNode[], problems: RuleProblem[]): MutableNode[] {
  const pending = new Map(nodes.map((n) => [n.key, n.sources.filter((s) => s.kind === 'correlation').length]));
  const ordered: MutableNode[] = [];
  const ready = nodes.filter((n) => pending.get(n.key) === 0);
  while (ready.length > 0) {
    const node = ready.shift()!;
    ordered.push(node);
    for (const other of nodes) {
      const uses = other.sources.filter((s) => s.kind === 'correlation' && s.node.key === node.key).length;
      if (uses === 0) continue;
      const left = pending.get(other.key)! - uses;
      pending.set(other.key, left);
      if (left === 0) ready.push(other);
    }
  }
  for (const node of nodes) {
    if (!ordered.includes(node)) problems.push({ path: 'correlation.rules', message: `correlation ${node.key} is part of a reference cycle and cannot run` });
  }
  return ordered;
}

/**
 * Types that ask which of their rules were seen (temporal, temporal_ordered): an alert
 * matching two of the rules is both. The others aggregate events, and the rules they list
 * together select them (Sigma backends OR them into one search), so one alert counts once,
 * through the first entry of `rules:` it matches.
 */
const perRule = (node: CorrelationNode) => node.spec.type === 'temporal' || node.spec.type === 'temporal_ordered';

/** The (correlation, rules-entry) pairs an alert feeds directly. */
export function routesOf(set: CompiledRuleSet, alert: Alert): Array<{ node: CorrelationNode; refIndex: number }> {
  const out: Array<{ node: CorrelationNode; refIndex: number }> = [];
  const seen = new Set<string>();
  const add = (targets: ReadonlyArray<{ node: CorrelationNode; refIndex: number }> | undefined) => {
    for (const t of targets ?? []) {
      const id = `${t.node.key}#${t.refIndex}`;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(t);
      }
    }
  };
  add(set.alertRules.get(alert.rule_id));
  add(set.alertRules.get(alert.rule_name.toLowerCase()));
  for (const route of set.detections) if (route.detection.matches(alert)) add(route.targets);
  if (out.length < 2) return out;
  const first = new Map<string, number>();
  for (const t of out) if (!perRule(t.node)) first.set(t.node.key, Math.min(first.get(t.node.key) ?? Infinity, t.refIndex));
  return out.filter((t) => perRule(t.node) || first.get(t.node.key) === t.refIndex);
}
