import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { TopicSpec } from '@vigil/contracts';
import { provisionTopics, topicSettingsOf, withAdmin, type TopicSettings } from '@vigil/kafka';
import { testKafka } from '../support/kafka.ts';

/**
 * Topic provisioning against the real broker, on private topics: created with the
 * configured partitions and min.insync.replicas, grown when the configuration asks for
 * more partitions, never shrunk, and every difference it leaves alone reported.
 */
const kafka = testKafka();
const id = randomBytes(4).toString('hex');
const spec = (suffix: string, partitions: number): TopicSpec => ({ name: `test.provision.${id}.${suffix}`, schemaFile: null, key: 'test', partitions, retentionMs: 3_600_000 });
const wide = spec('wide', 2);
const strict = spec('strict', 1);

// From the metadata, not ListOffsets: that asks each partition's leader, and a follower that
// has not heard of a leadership change yet answers NOT_LEADER (a flake seen in CI).
const partitionsOf = (topic: string) => withAdmin(kafka, async (admin) => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length);

afterAll(async () => {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const ours = [wide.name, strict.name].filter((t) => existing.has(t));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  });
});

describe('topic provisioning on the broker', () => {
  it('creates, grows, never shrinks, and reports what it leaves alone', async () => {
    // The configuration path a deployment takes: KAFKA_PARTITIONS plus a per-topic min.insync.replicas.
    const config = { replicationFactor: 1, minInsyncReplicas: undefined, partitions: 3, overrides: new Map([[strict.name, { partitions: 1 }]]) };
    const settings = topicSettingsOf([wide, strict], config);
    expect(settings.map((s) => s.partitions)).toEqual([3, 1]);
    // min.insync.replicas 2 on one replica: Kafka takes it at creation (it only bites on acks=all writes), so it shows the value reaches the broker.
    const first = await provisionTopics(kafka, [settings[0]!, { ...settings[1]!, minInsyncReplicas: 2 }]);
    expect([...first.created].sort()).toEqual([strict.name, wide.name].sort());
    expect(first.grown).toEqual([]);
    expect([await partitionsOf(wide.name), await partitionsOf(strict.name)]).toEqual([3, 1]);

    const again = await provisionTopics(kafka, [settings[0]!, { ...settings[1]!, minInsyncReplicas: 2 }]);
    expect(again).toEqual({ created: [], grown: [], drift: [] });

    const more: TopicSettings[] = [{ ...settings[0]!, partitions: 5 }, settings[1]!];
    const grown = await provisionTopics(kafka, more);
    expect(grown.created).toEqual([]);
    expect(grown.grown).toEqual([{ topic: wide.name, from: 3, to: 5 }]);
    expect(grown.drift).toEqual([`${strict.name}: min.insync.replicas 2, configured 1 (change it with kafka-configs.sh --alter)`]);
    expect(await partitionsOf(wide.name)).toBe(5);

    const fewer = await provisionTopics(kafka, [{ ...settings[0]!, partitions: 4, replicationFactor: 3 }]);
    expect(fewer.grown).toEqual([]);
    expect(fewer.drift).toEqual([`${wide.name}: 5 partitions, configured 4 (never reduced)`, `${wide.name}: replication factor 1, configured 3 (change it with a partition reassignment)`]);
    expect(await partitionsOf(wide.name)).toBe(5);
  });
});
