import { z } from 'zod';
import { fields } from '@vigil/config';
import { allTopics, stages, type TopicSpec } from '@vigil/contracts';

/**
 * How a deployment sizes the registry's topics: partitions, replication factor and
 * `min.insync.replicas`, globally and per topic. The registry (contracts/topics.ts) says
 * what a topic carries; this says how big and how safe it is on a given cluster.
 */
export interface TopicSettings {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly retentionMs: number;
}

export interface TopicOverride {
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly minInsyncReplicas?: number;
}

export interface TopicConfig {
  readonly replicationFactor: number;
  /** Unset: RF - 1, at least 1 (`minInsyncReplicas`). */
  readonly minInsyncReplicas: number | undefined;
  /** Partitions of every topic but the dead-letter topics; unset: the registry's count. */
  readonly partitions: number | undefined;
  readonly overrides: ReadonlyMap<string, TopicOverride>;
}

export const defaultTopicConfig: TopicConfig = Object.freeze({ replicationFactor: 1, minInsyncReplicas: undefined, partitions: undefined, overrides: new Map() });

/**
 * min.insync.replicas for a replication factor: RF - 1, at least 1. With acks=all a
 * write then survives the loss of one replica while one broker may be down for maintenance.
 */
export const minInsyncReplicas = (replicationFactor: number): number => Math.max(1, replicationFactor - 1);

const overrideKeys = { partitions: 'partitions', 'replication.factor': 'replicationFactor', 'min.insync.replicas': 'minInsyncReplicas' } as const;

// Dead letters are few and read by an operator: a global partition count is not for them.
const deadLetterTopics: ReadonlySet<string> = new Set(Object.values(stages).map((s) => s.dlq.name));

/** `topic:setting=value[,topic:setting=value…]`, one setting per item, a topic may repeat. */
export function parseTopicOverrides(raw: string, known: readonly TopicSpec[] = allTopics): { overrides: Map<string, TopicOverride>; problems: string[] } {
  const overrides = new Map<string, TopicOverride>();
  const problems: string[] = [];
  const names = new Set(known.map((t) => t.name));
  for (const item of raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const match = /^([^:=\s]+):([a-z.]+)=(\d+)$/.exec(item);
    if (!match) {
      problems.push(`'${item}': expected topic:setting=number, e.g. alerts.v1:partitions=12`);
      continue;
    }
    const [, topic, key, value] = match as unknown as [string, string, string, string];
    const field = overrideKeys[key as keyof typeof overrideKeys];
    if (!field) problems.push(`'${item}': unknown setting ${key} (${Object.keys(overrideKeys).join(', ')})`);
    else if (!names.has(topic)) problems.push(`'${item}': no topic ${topic} in the registry (${[...names].join(', ')})`);
    else if (Number(value) < 1) problems.push(`'${item}': ${key} must be at least 1`);
    else overrides.set(topic, { ...overrides.get(topic), [field]: Number(value) });
  }
  return { overrides, problems };
}

/** Each topic's partitions, RF and min.insync.replicas; problems where min.insync.replicas exceeds the replicas. */
export function resolveTopicSettings(specs: readonly TopicSpec[], config: TopicConfig): { settings: TopicSettings[]; problems: string[] } {
  const problems: string[] = [];
  const settings = specs.map((spec) => {
    const o = config.overrides.get(spec.name) ?? {};
    const replicationFactor = o.replicationFactor ?? config.replicationFactor;
    const minInsync = o.minInsyncReplicas ?? config.minInsyncReplicas ?? minInsyncReplicas(replicationFactor);
    // acks=all could never succeed: every write would fail with NOT_ENOUGH_REPLICAS.
    if (minInsync > replicationFactor) problems.push(`${spec.name}: min.insync.replicas ${minInsync} exceeds its replication factor ${replicationFactor}`);
    const partitions = o.partitions ?? (deadLetterTopics.has(spec.name) ? spec.partitions : (config.partitions ?? spec.partitions));
    return { name: spec.name, partitions, replicationFactor, minInsyncReplicas: minInsync, retentionMs: spec.retentionMs };
  });
  return { settings, problems };
}

/** The settings of `specs` under `config`; throws with every problem. */
export function topicSettingsOf(specs: readonly TopicSpec[], config: TopicConfig = defaultTopicConfig): TopicSettings[] {
  const { settings, problems } = resolveTopicSettings(specs, config);
  if (problems.length > 0) throw new Error(`invalid topic configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return settings;
}

// Empty variables count as unset, as a compose file's `KAFKA_PARTITIONS:` leaves them.
const optionalCount = fields.optionalCount(1, 10_000);

/** The environment variables of the topic configuration, checked against the registry. */
export const topicConfigSchema = z
  .object({
    KAFKA_REPLICATION_FACTOR: fields.count(1, 100, 1),
    KAFKA_MIN_INSYNC_REPLICAS: optionalCount,
    KAFKA_PARTITIONS: optionalCount,
    KAFKA_TOPIC_OVERRIDES: z
      .string()
      .default('')
      .transform((raw, ctx) => {
        const { overrides, problems } = parseTopicOverrides(raw);
        for (const message of problems) ctx.addIssue({ code: 'custom', message });
        return overrides;
      }),
  })
  .transform((env, ctx): TopicConfig => {
    const config: TopicConfig = { replicationFactor: env.KAFKA_REPLICATION_FACTOR, minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS, partitions: env.KAFKA_PARTITIONS, overrides: env.KAFKA_TOPIC_OVERRIDES };
    for (const message of resolveTopicSettings(allTopics, config).problems) ctx.addIssue({ code: 'custom', path: ['KAFKA_MIN_INSYNC_REPLICAS'], message });
    return config;
  });

/** Parse the topic configuration once, at start-up; throws with every problem. */
export function parseTopicConfig(env: Readonly<Record<string, string | undefined>>): TopicConfig {
  const result = topicConfigSchema.safeParse(env);
  if (!result.success) throw new Error(`invalid topic configuration:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return result.data;
}
