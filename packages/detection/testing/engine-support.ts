import type { Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { compileDocument } from '../src/rule-set/compile-document.ts';
import { compileRuleSet, type CompiledRuleSet } from '../src/rule-set/compile-rule-set.ts';
import { parseDocuments } from '../src/rule-set/parse-documents.ts';
import type { RuleSettings } from '../src/correlation/rule-settings.ts';
import { correlateAlert, type EngineDecision } from '../src/correlation/engine.ts';
import { createMemoryStateStore } from '../src/correlation/memory-state-store.ts';

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 0, 1, 10, 0);

/** A rule set from Sigma YAML; throws with every problem when a document does not compile. */
export function ruleSet(yaml: string, settings?: RuleSettings): CompiledRuleSet {
  const parsed = parseDocuments(yaml);
  if (parsed.problems.length > 0) throw new Error(JSON.stringify(parsed.problems));
  const entries = parsed.documents.map((doc) => {
    const compiled = compileDocument(doc);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    return { rule: compiled.rule, version: 1, settings };
  });
  return compileRuleSet(entries);
}

let counter = 0;
/** An alert `m` minutes after T0. */
export function alertAt(m: number, overrides: Partial<Alert> = {}): Alert {
  counter += 1;
  return sampleAlert({ id: `alert-${counter}`, tenant_id: 't1', event_time: T0 + m * MIN, ...overrides });
}

/** Runs alerts in arrival order through the engine, as the stage does (watermark = max event time so far). */
export async function runAlerts(set: CompiledRuleSet, alerts: readonly Alert[]) {
  const store = createMemoryStateStore();
  const decisions: EngineDecision[] = [];
  let watermark = -Infinity;
  for (const alert of alerts) {
    watermark = Math.max(watermark, alert.event_time);
    decisions.push(...(await correlateAlert(set, alert, watermark, store)));
  }
  const incidents = decisions.filter((d): d is Extract<EngineDecision, { kind: 'opened' }> => d.kind === 'opened' && d.node.raisesIncidents);
  return { decisions, incidents, store };
}
