import type { Kafka } from 'kafkajs';
import type { Gauge } from '@vigil/metrics';
import type { PartitionPosition } from './stuck-tracker.ts';
import { partitionPositions } from './topic-admin.ts';

export interface LagSamplerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly stage: string;
  readonly gauge: Gauge<'stage' | 'topic' | 'partition'>;
  /** The partitions this member owns right now, by topic. */
  readonly assigned: () => ReadonlyMap<string, readonly number[]>;
  readonly intervalMs: number;
  readonly onError: (error: unknown) => void;
  /** Every sample, for the stuck-partition tracker. */
  readonly onSample?: (positions: readonly PartitionPosition[]) => void;
}

export interface LagSampler {
  stop(): Promise<void>;
}

/**
 * Lag from the broker's view (high watermark minus committed offset), sampled on a
 * timer. Updating it only when a slice commits would freeze it exactly when it matters:
 * a paused or stuck partition never commits, while its backlog grows. Only partitions
 * this member owns are reported, so a fleet's series add up without double counting,
 * and a partition lost in a rebalance disappears instead of keeping its last value.
 */
export function startLagSampler(options: LagSamplerOptions): LagSampler {
  const admin = options.kafka.admin();
  let connected: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function sample(): Promise<void> {
    connected ??= admin.connect();
    await connected;
    const values: PartitionPosition[] = [];
    for (const [topic, partitions] of options.assigned()) {
      if (partitions.length === 0) continue;
      const positions = await partitionPositions(admin, options.groupId, topic);
      for (const partition of partitions) {
        const position = positions.get(partition);
        if (position !== undefined) values.push({ topic, partition, ...position });
      }
    }
    if (stopped) return;
    // Reset and refill in one synchronous step, so a scrape never sees a half update.
    options.gauge.reset();
    for (const { topic, partition, lag } of values) options.gauge.labels(options.stage, topic, String(partition)).set(lag);
    options.onSample?.(values);
  }

  const tick = () => {
    if (stopped) return;
    sample()
      .catch((error: unknown) => {
        // A stale connection stays broken; reconnect on the next tick.
        connected = null;
        options.onError(error);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  timer = setTimeout(tick, 0).unref();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      options.gauge.reset();
      await admin.disconnect().catch(() => undefined);
    },
  };
}
