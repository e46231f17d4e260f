import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageSpec, TopicSpec } from '@vigil/contracts';
import { createCodec, createRecordProducer, ensureTopics, readTopicSnapshot, toDeadLetter, withAdmin, type RecordProducer } from '@vigil/kafka';
import { REPLAY_LEDGER_KEY, createReplayLedger, readDeadLetters, replayDeadLetters } from '@vigil/dead-letters';
import { createRedisClient, type RedisClient } from '@vigil/redis';
import { testKafka } from '../support/kafka.ts';
import { stackEnv } from '../support/stack-env.ts';
import { waitFor } from '../support/wait.ts';

/**
 * The replay ledger lives in Redis, the dead letters in Kafka, and the two can be reset
 * independently (a new cluster, a wiped dev stack, Redis restored from a backup). A
 * recreated DLQ topic starts its offsets at 0 again; the ledger must not take a new dead
 * letter at a reused position for one it replayed before.
 */
const kafka = testKafka();
const id = randomBytes(4).toString('hex');
const source: TopicSpec = { name: `test.ledger-source.${id}`, schemaFile: null, key: 'test', partitions: 1, retentionMs: 3_600_000 };
const dlq: TopicSpec = { name: `test.ledger-dlq.${id}`, schemaFile: null, key: 'test', partitions: 1, retentionMs: 3_600_000 };
const stage: StageSpec = { name: `ledger-test-${id}`, groupId: `test.ledger.${id}`, inputs: [source], dlq };
let producer: RecordProducer;
let redis: RedisClient;

beforeAll(async () => {
  await ensureTopics(kafka, [source, dlq]);
  producer = createRecordProducer(kafka, createCodec(stackEnv['SCHEMA_REGISTRY_URL']!));
  await producer.connect();
  redis = createRedisClient(stackEnv['REDIS_URL']!, 'ledger-test');
});

afterAll(async () => {
  await producer?.disconnect();
  redis?.disconnect();
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const ours = [source.name, dlq.name].filter((t) => existing.has(t));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  });
});

async function deadLetter(value: string, sourceOffset: string, now: number): Promise<void> {
  const record = { topic: source.name, partition: 0, offset: sourceOffset, key: Buffer.from('k'), value: Buffer.from(value), headers: {} };
  await producer.sendRaw([toDeadLetter(dlq.name, stage.name, record, { code: 'INDEX_REJECTED', message: 'test', attempts: 1 }, now)]);
}

async function recreateDlqTopic(): Promise<void> {
  await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [dlq.name] }));
  // Deletion finishes in the background; creating before it did is refused.
  await waitFor(async () => ((await withAdmin(kafka, (admin) => admin.listTopics())).includes(dlq.name) ? undefined : true));
  await waitFor(async () => ((await ensureTopics(kafka, [dlq])).length === 1 ? true : undefined));
}

const replayedValues = async () => (await readTopicSnapshot(kafka, source.name)).map((r) => r.value?.toString());

describe('replay ledger across a recreated DLQ topic', () => {
  it('replays a new dead letter at a reused position instead of skipping it as replayed', async () => {
    const ledger = createReplayLedger(redis, { keepMs: 60 * 60 * 1000 });
    await deadLetter('first', '10', Date.parse('2026-01-01T00:00:00Z'));
    const [first] = await readDeadLetters(kafka, stage);
    expect(first!.position).toEqual({ partition: 0, offset: '0' });
    expect(await replayDeadLetters({ kafka, producer, stage, letters: [first!.id], ledger })).toEqual({ total: 1, sent: 1, skipped: 0, missing: 0, notReplayable: 0 });
    expect(await replayDeadLetters({ kafka, producer, stage, letters: [first!.id], ledger })).toEqual({ total: 1, sent: 0, skipped: 1, missing: 0, notReplayable: 0 });

    await recreateDlqTopic();
    await deadLetter('second', '11', Date.parse('2026-01-02T00:00:00Z'));
    const [second] = await readDeadLetters(kafka, stage);
    expect(second!.position).toEqual(first!.position);
    expect(second!.id).not.toBe(first!.id);
    // The old id now names nothing: the letter at that position is another one.
    expect(await replayDeadLetters({ kafka, producer, stage, letters: [first!.id], ledger })).toEqual({ total: 1, sent: 0, skipped: 0, missing: 1, notReplayable: 0 });
    expect(await replayDeadLetters({ kafka, producer, stage, letters: [second!.id], ledger })).toEqual({ total: 1, sent: 1, skipped: 0, missing: 0, notReplayable: 0 });
    expect(await replayedValues()).toEqual(['first', 'second']);
  });

  it('forgets entries once they outlived the longest DLQ retention, keeping the newer ones', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const ledger = createReplayLedger(redis, { keepMs: 1_000, now: () => clock });
    const [old, young] = [`${stage.name}:0:1:${id}`, `${stage.name}:0:2:${id}`];
    await ledger.markReplayed([old]);
    clock += 600;
    await ledger.markReplayed([young]);
    expect(await ledger.replayed([old, young])).toEqual(new Set([old, young]));
    clock += 500;
    await ledger.markReplayed([`${stage.name}:0:3:${id}`]);
    expect(await ledger.replayed([old, young])).toEqual(new Set([young]));
    await redis.zrem(REPLAY_LEDGER_KEY, young, `${stage.name}:0:3:${id}`);
  });
});
