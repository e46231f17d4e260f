import { compileDocument, compileRuleSet, parseDocuments, type CompiledRuleSet, type RuleDocument, type RuleProblem, type RuleSettings, type RuleSetEntry } from '@vigil/detection';
import { entriesOf, settingsOf } from './rule-set-loader.ts';
import type { StoredRule } from './rule-store.ts';

/** The rule a simulation runs: a stored rule (its current or an older version) or a draft. */
export type SimulatedRule =
  | { readonly kind: 'stored'; readonly key: string; readonly version: number; readonly source: string; readonly settings: Record<string, unknown> }
  | { readonly kind: 'draft'; readonly source: string };

export type SimulationSet =
  | { readonly ok: true; readonly set: CompiledRuleSet; readonly key: string; readonly version: number; readonly rules: readonly string[] }
  | { readonly ok: false; readonly problems: readonly RuleProblem[] };

/**
 * The rule set a simulation runs: the simulated rule plus what it refers to, transitively,
 * taken from the tenant's running rules (enabled, current versions), exactly as the live
 * stage would compile them, so a stored version raises the incidents (same ids) live
 * raised. A draft gets the version it would get if saved now.
 */
export function simulationRuleSet(stored: readonly StoredRule[], target: SimulatedRule, defaults: RuleSettings): SimulationSet {
  const [doc, extra] = parseDocuments(target.source).documents;
  if (!doc || extra) return { ok: false, problems: [{ path: 'rule', message: 'simulate exactly one Sigma document' }] };
  const compiled = compileDocument(doc);
  if (!compiled.ok) return { ok: false, problems: compiled.problems };
  const rule = compiled.rule;
  const existing = stored.find((r) => r.key === rule.key);
  const version = target.kind === 'stored' ? target.version : (existing?.version ?? 0) + 1;
  const settings = settingsOf(target.kind === 'stored' ? target.settings : (existing?.settings ?? {}), defaults);
  const running = entriesOf(stored.filter((r) => r.enabled && !r.deleted && r.key !== rule.key), defaults).entries;
  const entries = closure({ rule, version, settings }, running);
  const set = compileRuleSet(entries);
  if (set.cyclic.length > 0) return { ok: false, problems: set.problems };
  return { ok: true, set, key: rule.key, version, rules: entries.map((e) => e.rule.key) };
}

function labelsOf(rule: RuleDocument): string[] {
  return [rule.key, rule.id, rule.name].filter((x): x is string => !!x);
}

/** The target and every running rule it reaches through `rules:` references. */
function closure(target: RuleSetEntry, running: readonly RuleSetEntry[]): RuleSetEntry[] {
  const byLabel = new Map<string, RuleSetEntry>();
  for (const entry of running) for (const label of labelsOf(entry.rule)) byLabel.set(label, entry);
  const out = new Map<string, RuleSetEntry>([[target.rule.key, target]]);
  const queue = [target];
  while (queue.length > 0) {
    const entry = queue.shift()!;
    if (entry.rule.kind !== 'correlation') continue;
    for (const label of entry.rule.correlation.rules) {
      const ref = byLabel.get(label);
      if (ref && !out.has(ref.rule.key)) {
        out.set(ref.rule.key, ref);
        queue.push(ref);
      }
    }
  }
  return [...out.values()];
}
