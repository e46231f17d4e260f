import type { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import type { TopicSpec } from '@vigil/contracts';
import { defaultTopicConfig, topicSettingsOf, type TopicSettings } from './topic-settings.ts';

/**
 * Create every registry topic that does not exist yet, with the registry's partitions and
 * this replication factor (1 suits the single local broker). Returns the names created.
 * Deployments size topics through `provisionTopics` and the topic configuration.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], replicationFactor = 1): Promise<string[]> {
  return [...(await provisionTopics(kafka, topicSettingsOf(specs, { ...defaultTopicConfig, replicationFactor }))).created];
}

export interface TopicProvisioning {
  readonly created: readonly string[];
  /** Existing topics that had fewer partitions than configured and were given more. */
  readonly grown: readonly { readonly topic: string; readonly from: number; readonly to: number }[];
  /**
   * Differences left alone, one line each: partitions are never taken away (Kafka cannot),
   * and the replication factor or min.insync.replicas of an existing topic are an
   * operator's change (a reassignment, `kafka-configs.sh`), not a start-up side effect.
   */
  readonly drift: readonly string[];
}

/**
 * Make the cluster's topics match `settings`: create the missing ones, add partitions
 * where a topic has fewer than configured, and report what differs otherwise. Adding
 * partitions moves keys: records of one key produced before and after may sit on two
 * partitions for a moment, so grow a drained pipeline when per-key order matters.
 */
export async function provisionTopics(kafka: Kafka, settings: readonly TopicSettings[]): Promise<TopicProvisioning> {
  return withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = settings.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: [
            { name: 'retention.ms', value: String(s.retentionMs) },
            { name: 'min.insync.replicas', value: String(s.minInsyncReplicas) },
          ],
        })),
      });
    }
    const present = settings.filter((s) => existing.has(s.name));
    const { grown, drift } = present.length > 0 ? await compareExisting(admin, present) : { grown: [], drift: [] };
    if (grown.length > 0) {
      await admin.createPartitions({ validateOnly: false, topicPartitions: grown.map((g) => ({ topic: g.topic, count: g.to })) });
      await waitForPartitionLeaders(admin, grown.map((g) => ({ topic: g.topic, partitions: g.to })));
    }
    return { created: missing.map((s) => s.name), grown, drift };
  });
}

const LEADER_WAIT_MS = 30_000;

/**
 * createPartitions returns before the new partitions have leaders (createTopics can wait,
 * it cannot): a client asking for their offsets at once got "not the leader for that
 * topic-partition". Wait until the metadata shows every partition with a leader.
 */
async function waitForPartitionLeaders(admin: Admin, wanted: ReadonlyArray<{ topic: string; partitions: number }>): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: wanted.map((w) => w.topic) });
    const ready = wanted.every((w) => {
      const partitions = metadata.topics.find((t) => t.name === w.topic)?.partitions ?? [];
      return partitions.length >= w.partitions && partitions.every((p) => p.leader >= 0);
    });
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`new partitions of ${wanted.map((w) => w.topic).join(', ')} have no leader after ${LEADER_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// kafkajs' enum is not a named ESM export of its CommonJS build: its TOPIC value, typed.
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

async function compareExisting(admin: Admin, present: readonly TopicSettings[]): Promise<Pick<TopicProvisioning, 'grown' | 'drift'>> {
  const [metadata, configs] = await Promise.all([
    admin.fetchTopicMetadata({ topics: present.map((s) => s.name) }),
    admin.describeConfigs({ includeSynonyms: false, resources: present.map((s) => ({ type: TOPIC_RESOURCE, name: s.name, configNames: ['min.insync.replicas'] })) }),
  ]);
  const grown: { topic: string; from: number; to: number }[] = [];
  const drift: string[] = [];
  for (const s of present) {
    const partitions = metadata.topics.find((t) => t.name === s.name)?.partitions ?? [];
    if (partitions.length < s.partitions) grown.push({ topic: s.name, from: partitions.length, to: s.partitions });
    if (partitions.length > s.partitions) drift.push(`${s.name}: ${partitions.length} partitions, configured ${s.partitions} (never reduced)`);
    const replicas = partitions[0]?.replicas.length;
    if (replicas !== undefined && replicas !== s.replicationFactor) drift.push(`${s.name}: replication factor ${replicas}, configured ${s.replicationFactor} (change it with a partition reassignment)`);
    const entry = configs.resources.find((r) => r.resourceName === s.name)?.configEntries.find((e) => e.configName === 'min.insync.replicas');
    if (entry && Number(entry.configValue) !== s.minInsyncReplicas) drift.push(`${s.name}: min.insync.replicas ${entry.configValue}, configured ${s.minInsyncReplicas} (change it with kafka-configs.sh --alter)`);
  }
  return { grown, drift };
}

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

/**
 * Per partition: the group's committed offset (or the log start) and its lag. The commits
 * are read before the log ends, not beside them: a commit landing between the two reads
 * showed a negative lag (`vigil status` printed -12 for a busy dedup).
 */
export async function partitionPositions(admin: Admin, groupId: string, topic: string): Promise<Map<number, { committed: number; lag: number }>> {
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
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
