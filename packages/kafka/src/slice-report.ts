import type { EventEmitter } from 'node:events';
import type { KafkaMessage } from 'kafkajs';
import type { Logger } from '@vigil/logging';
import type { DeadLetterPlan, SlicePlan } from './slice-plan.ts';
import type { StageMetrics } from './stage-metrics.ts';

export interface SliceReportTarget {
  readonly stage: string;
  readonly metrics: StageMetrics;
  readonly log: Logger;
  readonly events: EventEmitter;
}

/** After a commit: count what the slice did, log and announce each dead letter, then the commit. */
export function reportCommitted(target: SliceReportTarget, topic: string, partition: number, slice: readonly KafkaMessage[], settled: number, plan: SlicePlan, deadLetters: readonly DeadLetterPlan[]): void {
  const { stage, metrics, log, events } = target;
  metrics.recordsIn.labels(stage, topic).inc(settled);
  metrics.recordsOut.labels(stage, topic).inc(plan.outputs.reduce((n, o) => n + o.records.length, 0));
  metrics.dropped.labels(stage).inc(plan.dropped);
  for (const d of deadLetters) {
    metrics.deadLettered.labels(stage, d.code).inc();
    log.warn({ topic, partition, offset: slice[d.index]!.offset, code: d.code, reason: d.message }, 'record dead-lettered');
    events.emit('dead-lettered', { topic, partition, offset: slice[d.index]!.offset, code: d.code });
  }
  events.emit('committed', { topic, partition, offset: slice[settled - 1]!.offset, count: settled });
}
