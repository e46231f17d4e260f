import type { Logger } from '@vigil/logging';
import type { StageMetrics } from './stage-metrics.ts';
import { createStuckTracker, type PartitionPosition, type PartitionProgress } from './stuck-tracker.ts';

export interface StuckReporterOptions {
  readonly stage: string;
  readonly stuck: StageMetrics['stuck'];
  readonly log: Logger;
  readonly stuckAfterMs: number;
  readonly isPaused: (topic: string, partition: number) => boolean;
}

/**
 * Turns the lag sampler's positions into each partition's progress, the stuck gauge and
 * one log line when a partition crosses the bound (and one when it moves again): a log
 * line, not a flood.
 */
export function createStuckReporter(options: StuckReporterOptions) {
  const tracker = createStuckTracker();
  const reported = new Set<string>();
  let progress: readonly PartitionProgress[] = [];
  const { stage, stuck, log, stuckAfterMs } = options;

  return {
    observe(positions: readonly PartitionPosition[], now: number): void {
      progress = tracker.observe(positions, now);
      stuck.reset();
      for (const p of progress) {
        const id = `${p.topic}:${p.partition}`;
        stuck.labels(stage, p.topic, String(p.partition)).set(p.stuckSeconds);
        if (p.stuckSeconds * 1000 >= stuckAfterMs && !reported.has(id)) {
          reported.add(id);
          log.warn({ topic: p.topic, partition: p.partition, lag: p.lag, committed: p.committed, stuckSeconds: p.stuckSeconds, paused: options.isPaused(p.topic, p.partition) }, 'partition stuck: committed offset not moving while lag > 0');
        } else if (p.stuckSeconds === 0 && reported.delete(id)) {
          log.info({ topic: p.topic, partition: p.partition }, 'partition moving again');
        }
      }
    },
    progress: (): readonly PartitionProgress[] => progress,
    stuck: (): readonly PartitionProgress[] => progress.filter((p) => p.stuckSeconds * 1000 >= stuckAfterMs),
  };
}
