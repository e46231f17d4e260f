import { compileDocument, compileRuleSet, defaultRuleSettings, parseDocuments, type CompiledRuleSet, type RuleSettings, type RuleSetEntry } from '@vigil/detection';
import type { Severity } from '@vigil/contracts';
import type { StoredRule } from './rule-store.ts';

/** Settings stored as JSON (snake_case, as an operator writes them) over the defaults. */
export function settingsOf(stored: Record<string, unknown>, defaults: RuleSettings = defaultRuleSettings): RuleSettings {
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);
  return {
    allowedLatenessMs: num(stored.allowed_lateness_ms, defaults.allowedLatenessMs),
    reopenMs: num(stored.reopen_ms, defaults.reopenMs),
    severityOverride: typeof stored.severity_override === 'string' ? (stored.severity_override as Severity) : defaults.severityOverride,
  };
}

/**
 * Rule-set entries from stored rules: each stored source compiles again here (a stored
 * rule was valid when imported; one that no longer compiles after an upgrade is left out
 * and reported rather than stopping every other rule of the tenant).
 */
export function entriesOf(rules: readonly StoredRule[], defaults: RuleSettings = defaultRuleSettings): { entries: RuleSetEntry[]; broken: string[] } {
  const entries: RuleSetEntry[] = [];
  const broken: string[] = [];
  for (const stored of rules) {
    const [doc] = parseDocuments(stored.source).documents;
    const compiled = doc ? compileDocument(doc) : null;
    if (!compiled?.ok) {
      broken.push(stored.key);
      continue;
    }
    entries.push({ rule: compiled.rule, version: stored.version, settings: settingsOf(stored.settings, defaults) });
  }
  return { entries, broken };
}

/** The compiled rule set that runs: enabled, undeleted rules only. */
export function runnableRuleSet(rules: readonly StoredRule[], defaults: RuleSettings = defaultRuleSettings): { set: CompiledRuleSet; broken: string[] } {
  const { entries, broken } = entriesOf(rules.filter((r) => r.enabled && !r.deleted), defaults);
  return { set: compileRuleSet(entries), broken };
}
