import type { Admin, Kafka } from 'kafkajs';
import type { TopicSpec } from '@vigil/contracts';

/**
 * Create every registry topic that does not exist yet. Replication factor 1 suits the
 * single local broker; a real cluster overrides it, and min.insync.replicas follows
 * (RF - 1, at least 1): with acks=all a write then survives the loss of one replica
 * while one broker may be down for maintenance.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], replicationFactor = 1): Promise<string[]> {
  return withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor,
          configEntries: [
            { name: 'retention.ms', value: String(s.retentionMs) },
            { name: 'min.insync.replicas', value: String(minInsyncReplicas(replicationFactor)) },
          ],
        })),
      });
    }
    return missing.map((s) => s.name);
  });
}

/** min.insync.replicas for a replication factor: RF - 1, at least 1. */
export const minInsyncReplicas = (replicationFactor: number): number => Math.max(1, replicationFactor - 1);

export async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Lag per partition of one topic for a group: high watermark minus the committed
 * offset (or minus the log start when the group never committed there).
 */
export async function partitionLag(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  return new Map([...(await partitionPositions(admin, groupId, topic))].map(([partition, p]) => [partition, p.lag]));
}

/** Per partition: the group's committed offset (or the log start) and its lag. */
export async function partitionPositions(admin: Admin, groupId: string, topic: string): Promise<Map<number, { committed: number; lag: number }>> {
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const out = new Map<number, { committed: number; lag: number }>();
  const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  for (const end of ends) {
    const position = Math.max(byPartition.get(end.partition) ?? -1, Number(end.low));
    out.set(end.partition, { committed: position, lag: Number(end.high) - position });
  }
  return out;
}

/** Committed offsets and high watermarks of a group: the lag per partition. */
export async function groupLag(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(kafka, (admin) => partitionLag(admin, groupId, topic));
}

/** The group's committed offset per partition of a topic; -1 where it committed nothing. */
export async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(kafka, async (admin) => {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  });
}

export interface GroupPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Commit these offsets for a group that has no active members (an operator's
 * `--reset-offsets`). kafkajs' admin.setOffsets joins the group once per topic and waits
 * out a full fetch (seconds each); this joins once, commits through seek (how kafkajs
 * commits for a member outside a run) and leaves after the first, short, fetch.
 */
export async function setGroupOffsets(kafka: Kafka, groupId: string, positions: readonly GroupPosition[]): Promise<void> {
  const topics = [...new Set(positions.map((p) => p.topic))];
  if (topics.length === 0) return;
  // Everything is paused, so each fetch only waits: keep that wait short.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const { topic, partition, offset } of positions) consumer.seek({ topic, partition, offset });
    });
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Point a group that has no active members at the current end of each topic, so it
 * starts with what is produced from now on (a new test or canary worker beside a long
 * history). The operator's `--reset-offsets --to-latest`.
 */
export async function resetGroupToEnd(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<void> {
  const ends = await withAdmin(kafka, async (admin) => Promise.all(topics.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((o) => ({ topic, partition: o.partition, offset: o.high })))));
  await setGroupOffsets(kafka, groupId, ends.flat());
}
