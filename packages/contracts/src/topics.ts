import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The one registry of topics: name, Avro schema, key and partitions. Every producer,
 * consumer, admin call and test takes names from here.
 */
export interface TopicSpec {
  readonly name: string;
  /** File under schemas/, registered under subject `<name>-value`. null: raw bytes (DLQs). */
  readonly schemaFile: string | null;
  readonly key: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

const DAY = 24 * 60 * 60 * 1000;

function topic(name: string, schemaFile: string | null, key: string, partitions = 3, retentionMs = 7 * DAY): TopicSpec {
  return Object.freeze({ name, schemaFile, key, partitions, retentionMs });
}

export const topics = Object.freeze({
  alertsRaw: topic('alerts.raw.v1', 'alert.v1.avsc', 'tenant_id|rule_id: every alert that could share a dedup fingerprint lands on one partition'),
  alerts: topic('alerts.v1', 'alert.v1.avsc', 'tenant_id|rule_id'),
  duplicates: topic('alerts.duplicates.v1', 'duplicate-notice.v1.avsc', 'tenant_id|canonical_id: notices of one canonical alert stay ordered'),
  incidents: topic('correlations.v1', 'incident.v1.avsc', 'tenant_id|incident id: revisions of one incident stay ordered'),
  correlationAudit: topic('correlation.audit.v1', 'correlation-audit.v1.avsc', 'tenant_id|rule id: decisions of one rule stay ordered', 3, 30 * DAY),
  dlqDedup: topic('dlq.dedup.v1', null, 'original key', 1, 30 * DAY),
  dlqCorrelate: topic('dlq.correlate.v1', null, 'original key', 1, 30 * DAY),
  dlqIndexer: topic('dlq.indexer.v1', null, 'original key', 1, 30 * DAY),
});

export type TopicName = keyof typeof topics;

export const allTopics: readonly TopicSpec[] = Object.values(topics);

/** Stages: what each consumes, its consumer group and its dead-letter topic. */
export interface StageSpec {
  readonly name: string;
  readonly groupId: string;
  readonly inputs: readonly TopicSpec[];
  readonly dlq: TopicSpec;
}

export const stages = Object.freeze({
  dedup: Object.freeze({ name: 'dedup', groupId: 'vigil.dedup', inputs: [topics.alertsRaw], dlq: topics.dlqDedup }),
  // Duplicates count as events too: a burst dedup folds into one alert is still a burst.
  correlate: Object.freeze({ name: 'correlate', groupId: 'vigil.correlate', inputs: [topics.alerts, topics.duplicates], dlq: topics.dlqCorrelate }),
  indexer: Object.freeze({ name: 'indexer', groupId: 'vigil.indexer', inputs: [topics.alerts, topics.duplicates, topics.incidents], dlq: topics.dlqIndexer }),
} satisfies Record<string, StageSpec>);

export type StageName = keyof typeof stages;

// The schemas ship with this package (package.json `exports` "./schemas/*"), so nothing reads outside it.
const schemasDir = fileURLToPath(new URL('../schemas/', import.meta.url));

/** The Avro schema text of a topic, read from packages/contracts/schemas/. */
export function schemaOf(spec: TopicSpec): string {
  if (spec.schemaFile === null) throw new Error(`topic ${spec.name} carries raw bytes and has no schema`);
  return readFileSync(`${schemasDir}${spec.schemaFile}`, 'utf8');
}

export function subjectOf(spec: TopicSpec): string {
  return `${spec.name}-value`;
}

export function topicByName(name: string): TopicSpec | undefined {
  return allTopics.find((t) => t.name === name);
}

/**
 * The Kafka key of every record Vigil writes: `<tenant>|<what orders it>` (the rule for
 * alerts, the canonical alert for duplicate notices, the incident for incidents), so one
 * tenant's records of one rule or incident share a partition and stay in order. The SQL
 * that fills the outbox builds the same shape (incident-store, incident-sql).
 */
export const recordKey = (tenantId: string, orderedBy: string): string => `${tenantId}|${orderedBy}`;
