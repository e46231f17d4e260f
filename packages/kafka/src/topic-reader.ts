import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { SourceRecord } from './dead-letter.ts';
import { withAdmin } from './topic-admin.ts';

/** A record as it sits on a topic: the same shape a dead letter keeps, plus its time. */
export interface ReadRecord extends SourceRecord {
  readonly timestamp: number;
}

export interface SnapshotOptions {
  readonly timeoutMs?: number;
  /** Start here instead of the log start, per partition (for reading only what is new). */
  readonly from?: ReadonlyMap<number, string>;
  /**
   * Stop once this many key and value bytes are held; the records read so far are
   * returned, so a caller that must bound its memory compares their count with the
   * offsets it asked for to tell a cut-short read.
   */
  readonly maxBytes?: number;
}

/**
 * Read a topic up to the end offsets it had when the call began, with a throwaway
 * consumer group that commits nothing (and is deleted afterwards). For operator tools
 * (DLQ listing, replay) and tests; never for stage processing.
 */
export async function readTopicSnapshot(kafka: Kafka, topic: string, options: SnapshotOptions = {}): Promise<ReadRecord[]> {
  const { timeoutMs = 30_000, from, maxBytes = Number.POSITIVE_INFINITY } = options;
  const groupId = `vigil-reader-${randomUUID()}`;
  const ranges = await withAdmin(kafka, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    const startOf = (partition: number, low: bigint) => {
      const asked = BigInt(from?.get(partition) ?? low);
      return asked > low ? asked : low;
    };
    const wanted = offsets.map((o) => ({ partition: o.partition, start: startOf(o.partition, BigInt(o.low)), end: BigInt(o.high) })).filter((r) => r.end > r.start);
    return new Map(wanted.map((r) => [r.partition, r]));
  });
  if (ranges.size === 0) return [];
  const records: ReadRecord[] = [];
  let bytes = 0;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const remaining = new Set(ranges.keys());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), timeoutMs);
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ranges.get(batch.partition)?.end;
            if (end === undefined) return;
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= end) break;
              bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0);
              if (bytes > maxBytes) {
                clearTimeout(timer);
                resolve();
                return;
              }
              records.push({ topic, partition: batch.partition, offset: message.offset, key: message.key, value: message.value, headers: { ...message.headers }, timestamp: Number(message.timestamp) });
            }
            // lastOffset() counts records a batch filtered out (control records), so a
            // partition whose last record is one of those still completes.
            if (BigInt(batch.lastOffset()) + 1n >= end) {
              remaining.delete(batch.partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            }
          },
        })
        .catch(reject);
      // Seeking right after run() positions the first fetch (kafkajs' own setOffsets
      // does the same); without autoCommit nothing is committed.
      for (const [partition, range] of ranges) consumer.seek({ topic, partition, offset: range.start.toString() });
    });
  } finally {
    await consumer.disconnect();
    await withAdmin(kafka, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }
  // Log order: by partition, then offset (offsets are 64-bit, hence BigInt).
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
