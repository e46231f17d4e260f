import { describe, expect, it } from 'vitest';
import { allTopics, topics } from '@vigil/contracts';
import { parseTopicConfig, topicSettingsOf } from './topic-settings.ts';

const settingOf = (env: Record<string, string>, name: string) => topicSettingsOf(allTopics, parseTopicConfig(env)).find((s) => s.name === name)!;

describe('topic configuration', () => {
  it('without variables keeps the registry: its partitions, RF 1, min.insync.replicas 1', () => {
    const settings = topicSettingsOf(allTopics, parseTopicConfig({}));
    expect(settings.map((s) => [s.name, s.partitions, s.replicationFactor, s.minInsyncReplicas])).toEqual(allTopics.map((t) => [t.name, t.partitions, 1, 1]));
    expect(settings.find((s) => s.name === topics.correlationAudit.name)!.retentionMs).toBe(topics.correlationAudit.retentionMs);
  });

  it('KAFKA_PARTITIONS sizes every topic but the dead-letter topics; min.insync.replicas follows RF - 1', () => {
    const env = { KAFKA_PARTITIONS: '12', KAFKA_REPLICATION_FACTOR: '3' };
    expect(settingOf(env, topics.alertsRaw.name)).toMatchObject({ partitions: 12, replicationFactor: 3, minInsyncReplicas: 2 });
    expect(settingOf(env, topics.incidents.name).partitions).toBe(12);
    expect(settingOf(env, topics.dlqDedup.name)).toMatchObject({ partitions: topics.dlqDedup.partitions, replicationFactor: 3 });
  });

  it('per-topic overrides win over the global values, one setting per item, a topic may repeat', () => {
    const env = {
      KAFKA_PARTITIONS: '6',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      KAFKA_TOPIC_OVERRIDES: ' alerts.raw.v1:partitions=24, alerts.raw.v1:min.insync.replicas=3 ,dlq.dedup.v1:partitions=2,correlation.audit.v1:replication.factor=2',
    };
    expect(settingOf(env, 'alerts.raw.v1')).toMatchObject({ partitions: 24, replicationFactor: 3, minInsyncReplicas: 3 });
    expect(settingOf(env, 'alerts.v1')).toMatchObject({ partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 });
    expect(settingOf(env, 'dlq.dedup.v1').partitions).toBe(2);
    expect(settingOf(env, 'correlation.audit.v1')).toMatchObject({ replicationFactor: 2, minInsyncReplicas: 2 });
  });

  it('an empty variable counts as unset', () => {
    expect(settingOf({ KAFKA_PARTITIONS: '', KAFKA_REPLICATION_FACTOR: '', KAFKA_MIN_INSYNC_REPLICAS: '', KAFKA_TOPIC_OVERRIDES: '' }, 'alerts.v1')).toMatchObject({ partitions: topics.alerts.partitions, replicationFactor: 1, minInsyncReplicas: 1 });
  });

  it('refuses, with every problem at once: unknown topics and settings, malformed items, zero counts, min.insync.replicas above the replicas', () => {
    let message = '';
    try {
      parseTopicConfig({ KAFKA_PARTITIONS: '0', KAFKA_TOPIC_OVERRIDES: 'alerts.v2:partitions=3,alerts.v1:segment.ms=1,alerts.v1=3,alerts.v1:partitions=0' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/KAFKA_PARTITIONS/);
    expect(message).toMatch(/no topic alerts\.v2 in the registry/);
    expect(message).toMatch(/unknown setting segment\.ms/);
    expect(message).toMatch(/'alerts\.v1=3': expected topic:setting=number/);
    expect(message).toMatch(/'alerts\.v1:partitions=0': partitions must be at least 1/);
    expect(() => parseTopicConfig({ KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' })).toThrow(/min\.insync\.replicas 3 exceeds its replication factor 2/);
    expect(() => parseTopicConfig({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_TOPIC_OVERRIDES: 'alerts.v1:replication.factor=1,alerts.v1:min.insync.replicas=2' })).toThrow(/alerts\.v1: min\.insync\.replicas 2 exceeds its replication factor 1/);
  });
});
