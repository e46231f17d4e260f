import { randomUUID } from 'node:crypto';
import { createCodec } from '@vigil/kafka';
import type { Bench } from '../context.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { rate, round } from '../stats.ts';

/** Offsets [start, end) per partition of one topic: what a phase wrote there. */
export type OffsetRanges = ReadonlyMap<number, { readonly start: bigint; readonly end: bigint }>;

export interface ConsumerCeiling {
  readonly topic: string;
  readonly records: number;
  readonly seconds: number;
  /** Records fetched and Avro-decoded per second, one consumer, no processing, no commits. */
  readonly recordsPerSecond: number;
  readonly cpu: CpuShare;
}

/** End offsets of every partition of `topic` now (before and after a phase gives its range). */
export async function topicEnds(bench: Bench, topic: string): Promise<Map<number, bigint>> {
  const offsets = await bench.admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

export function rangesBetween(before: ReadonlyMap<number, bigint>, after: ReadonlyMap<number, bigint>): OffsetRanges {
  const out = new Map<number, { start: bigint; end: bigint }>();
  for (const [partition, end] of after) {
    const start = before.get(partition) ?? 0n;
    if (end > start) out.set(partition, { start, end });
  }
  return out;
}

/**
 * The raw consume ceiling: one kafkajs consumer (throwaway group, nothing committed)
 * reading back the records the producer ceiling wrote and decoding each with the
 * registry codec, as every stage does before its own work. Its CPU per record is the
 * "read" term of the pipeline's CPU floor (cpu-floor.ts).
 */
export async function consumerCeiling(bench: Bench, topic: string, ranges: OffsetRanges): Promise<ConsumerCeiling> {
  if (ranges.size === 0) throw new Error(`nothing to read back from ${topic}`);
  const codec = createCodec(bench.cli.serviceEnv['SCHEMA_REGISTRY_URL']!);
  const groupId = `vigil-bench-consume-${bench.runId}-${randomUUID().slice(0, 8)}`;
  // The stages' fetch wait; sizes are kafkajs' defaults, as the stage runtime leaves them.
  const consumer = bench.kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  let records = 0;
  let cpuStart = bench.cpu.snapshot();
  let started = performance.now();
  let elapsed = 0;
  let cpu: CpuShare | null = null;
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const remaining = new Set(ranges.keys());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading back ${topic} timed out after ${bench.config.drainTimeoutS}s`)), Math.max(10, bench.config.drainTimeoutS) * 1000);
      let first = true;
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            // Timed from the first batch: group join and the first metadata round are not consuming.
            if (first) {
              first = false;
              cpuStart = bench.cpu.snapshot();
              started = performance.now();
            }
            const end = ranges.get(batch.partition)?.end;
            if (end === undefined) return;
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= end) break;
              await codec.decode(message.value);
              records++;
            }
            if (BigInt(batch.lastOffset()) + 1n >= end && remaining.delete(batch.partition) && remaining.size === 0) {
              elapsed = performance.now() - started;
              cpu = cpuBetween(cpuStart, bench.cpu.snapshot());
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
      // Right after run(), as readTopicSnapshot does: the first fetch starts at the phase's range.
      for (const [partition, range] of ranges) consumer.seek({ topic, partition, offset: range.start.toString() });
    });
  } finally {
    await consumer.disconnect();
    await bench.admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return { topic, records, seconds: round(elapsed / 1000, 2), recordsPerSecond: rate(records, elapsed), cpu: cpu ?? cpuBetween(cpuStart, bench.cpu.snapshot()) };
}
