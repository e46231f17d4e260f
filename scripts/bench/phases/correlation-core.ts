import { compileDocument, compileRuleSet, correlateAlert, createMemoryStateStore, parseDocuments } from '@vigil/detection';
import type { Alert } from '@vigil/contracts';
import { benchRuleSet } from '../bench-rules.ts';
import { round } from '../stats.ts';

export interface CorrelationCore {
  readonly rules: number;
  readonly alerts: number;
  readonly seconds: number;
  readonly alertsPerSecond: number;
  /** Engine decisions per alert: the (rule, group) applications an alert causes. */
  readonly decisionsPerAlert: number;
  readonly incidents: number;
}

/**
 * The pure engine (no I/O: groups in memory) over the same alerts and the 100-rule set the
 * pipeline runs: what one core can decide, the ceiling of the correlate stage.
 */
export async function correlationCore(alerts: readonly Alert[]): Promise<CorrelationCore> {
  const entries = parseDocuments(benchRuleSet()).documents.map((d) => {
    const compiled = compileDocument(d);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    return { rule: compiled.rule, version: 1 };
  });
  const set = compileRuleSet(entries);
  const store = createMemoryStateStore();
  let decisions = 0;
  let incidents = 0;
  let watermark = -Infinity;
  const started = performance.now();
  for (const alert of alerts) {
    watermark = Math.max(watermark, alert.event_time);
    for (const d of await correlateAlert(set, alert, watermark, store)) {
      decisions += 1;
      if (d.kind === 'opened' && d.node.raisesIncidents) incidents += 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { rules: entries.length, alerts: alerts.length, seconds: round(seconds, 2), alertsPerSecond: Math.round(alerts.length / seconds), decisionsPerAlert: round(decisions / alerts.length, 1), incidents };
}
