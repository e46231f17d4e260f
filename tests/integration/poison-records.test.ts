import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { topics, type Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { committedOffsets, createCodec, createRecordProducer, fromDeadLetter, readTopicSnapshot, resetGroupToEnd, withAdmin, type Codec, type InputRecord, type Outcome, type RecordProducer, type StageHandler } from '@vigil/kafka';
import { createRedisClient } from '@vigil/redis';
import { noTenantSettings, resolveSettings, fingerprint, dedupKeys } from '@vigil/dedup';
import { testKafka } from '../support/kafka.ts';
import { freePort } from '../support/ports.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { privateTopic, testStages } from '../support/test-stage.ts';
import { waitFor } from '../support/wait.ts';

// One poison record of each kind, each followed by valid records on the same partition:
// every poison record must end in the DLQ with its envelope, and the valid records
// behind it must be handled. Only private topics/groups, fresh ids and keys are used,
// so poison or backlogs left on shared topics by earlier runs change nothing here.

const kafka = testKafka();
const codec: Codec = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
const stages = testStages(kafka, codec);
let producer: RecordProducer;

beforeAll(async () => {
  await codec.register([topics.alerts, topics.alertsRaw]);
  producer = createRecordProducer(kafka, codec);
  await producer.connect();
});

afterEach(() => stages.stopAll());

afterAll(async () => {
  await producer.disconnect();
  await stages.cleanUp();
});

function alertFor(tenant: string, n: number, overrides: Partial<Alert> = {}): Alert {
  const now = Date.now();
  return sampleAlert({ id: randomUUID(), tenant_id: tenant, source_format: 'vigil', source_product: 'poison-test', rule_id: `p-rule-${n}`, rule_name: `poison rule ${n}`, event_time: now, received_time: now, host: `host-${n}`, ...overrides });
}

const committed = async (groupId: string, topic: string, partition = 0) => (await committedOffsets(kafka, groupId, topic)).get(partition) ?? -1;

describe('poison records in a stage (in-process stage, real broker and registry)', () => {
  it('dead-letters one poison record of each kind with its envelope and handles the valid records behind each', async () => {
    const tenant = uniqueTenant('poison');
    const output = privateTopic(`test.runtime.${randomUUID().slice(0, 8)}.out`);
    stages.track(output.name);
    await withAdmin(kafka, (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic: output.name, numPartitions: 1 }] }));
    await codec.register([output]);
    const limit = producer.maxMessageBytes();
    const handled: string[] = [];
    // Outputs every alert to the private topic; `huge-output` makes an output larger than
    // the broker takes, `throws` makes the whole handle() call throw (a bug).
    const handler: StageHandler = {
      healthy: async () => true,
      handle: async (records: readonly InputRecord[]): Promise<Outcome[]> => {
        const alerts = records.map((r) => r.value as Alert);
        if (alerts.some((a) => a.rule_id === 'throws')) throw new TypeError("Cannot read properties of undefined (reading 'severity')");
        return alerts.map((alert) => {
          handled.push(alert.id);
          const value = alert.rule_id === 'huge-output' ? { ...alert, raw: 'x'.repeat(limit + 1000) } : alert;
          return { kind: 'done', outputs: [{ topic: output, key: alert.id, value }] };
        });
      },
    };
    const stage = await stages.start(handler, { schemaGraceMs: 1_000, sliceSize: 50 });

    const good = Array.from({ length: 7 }, (_, n) => alertFor(tenant, n));
    const framed = await codec.encode(topics.alerts, alertFor(tenant, 90));
    const unknownSchemaId = Buffer.concat([Buffer.from([0]), Buffer.from([0x7f, 0xff, 0xff, 0xf0]), framed.subarray(5)]);
    const truncated = framed.subarray(0, Math.floor(framed.length / 2));
    const hugeOutput = alertFor(tenant, 91, { rule_id: 'huge-output' });
    const throwing = alertFor(tenant, 92, { rule_id: 'throws' });
    // Garbage that fits the input topic, but not once the envelope headers are added.
    const nearLimit = randomBytes(limit - 300);
    const encoded = async (a: Alert) => codec.encode(topics.alerts, a);
    const records: { key: string; value: Buffer; poison?: string }[] = [
      { key: 'g0', value: await encoded(good[0]!) },
      { key: 'random', value: randomBytes(64), poison: 'RECORD_UNDECODABLE' },
      { key: 'g1', value: await encoded(good[1]!) },
      { key: 'unknown-id', value: unknownSchemaId, poison: 'SCHEMA_UNKNOWN' },
      { key: 'g2', value: await encoded(good[2]!) },
      { key: 'truncated', value: truncated, poison: 'RECORD_UNDECODABLE' },
      { key: 'g3', value: await encoded(good[3]!) },
      { key: 'huge-output', value: await encoded(hugeOutput), poison: 'OUTPUT_TOO_LARGE' },
      { key: 'g4', value: await encoded(good[4]!) },
      { key: 'throws', value: await encoded(throwing), poison: 'STAGE_UNHANDLED_ERROR' },
      { key: 'g5', value: await encoded(good[5]!) },
      { key: 'near-limit', value: nearLimit, poison: 'RECORD_UNDECODABLE' },
      { key: 'g6', value: await encoded(good[6]!) },
    ];
    // One record per request: the near-limit one fills a request on its own.
    for (const r of records) await producer.sendRaw([{ topic: stage.input.name, key: Buffer.from(r.key), value: r.value, headers: { 'x-test': r.key } }]);
    await stage.runtime.start();

    await waitFor(async () => ((await committed(stage.spec.groupId, stage.input.name)) === records.length ? true : undefined), 90_000);

    const letters = (await readTopicSnapshot(kafka, stage.spec.dlq.name)).map((r) => ({ raw: r, envelope: fromDeadLetter(r) }));
    const expected = records.flatMap((r, offset) => (r.poison ? [[String(offset), r.key, r.poison]] : []));
    expect(letters.map((l) => [l.envelope.source.offset, l.envelope.key?.toString(), l.envelope.error.code])).toEqual(expected);
    for (const { envelope } of letters) {
      expect(envelope.stage).toBe(stage.spec.name);
      expect(envelope.source.topic).toBe(stage.input.name);
      expect(envelope.source.partition).toBe(0);
      expect(envelope.error.message.length).toBeGreaterThan(0);
      expect(envelope.attempts).toBeGreaterThanOrEqual(1);
    }
    const byKey = new Map(letters.map((l) => [l.envelope.key?.toString(), l]));
    // Original bytes and headers are kept...
    expect(byKey.get('random')!.envelope.value).toEqual(records[1]!.value);
    expect(byKey.get('truncated')!.envelope.value).toEqual(truncated);
    expect(byKey.get('unknown-id')!.envelope.headers['x-test']).toEqual(Buffer.from('unknown-id'));
    // ...the bug was retried before it was dead-lettered...
    expect(byKey.get('throws')!.envelope.attempts).toBe(3);
    // ...and a letter too large for the broker went as a trimmed envelope.
    const trimmed = byKey.get('near-limit')!.raw;
    expect(trimmed.value).toBeNull();
    expect(trimmed.headers['vigil.dlq.value.bytes']?.toString()).toBe(String(nearLimit.length));
    expect(trimmed.headers['vigil.dlq.value.sha256']?.toString()).toBe(createHash('sha256').update(nearLimit).digest('hex'));

    // Every valid record was handled and its output written once; the huge one was not written.
    const outputs = (await readTopicSnapshot(kafka, output.name)).map((r) => r.key?.toString());
    expect(outputs.filter((k) => k !== undefined && good.some((g) => g.id === k)).sort()).toEqual(good.map((g) => g.id).sort());
    expect(new Set(outputs).size).toBe(outputs.length);
    expect(outputs).not.toContain(hugeOutput.id);
    expect(handled).toEqual(expect.arrayContaining(good.map((g) => g.id)));
  });
});

describe('poison records in the dedup worker (real process, real Redis)', () => {
  const workers: ServiceProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
  });

  it('dead-letters an alert whose Redis script fails and decides the alerts behind it', async () => {
    const tenant = uniqueTenant('poison-redis');
    const groupId = uniqueGroup('dedup-poison');
    await resetGroupToEnd(kafka, groupId, [topics.alertsRaw.name]);
    const redis = createRedisClient(stackEnv['REDIS_URL']!, 'poison-test');
    const poison = alertFor(tenant, 1);
    // A corrupted window key (a string where the script expects a hash): the script
    // fails with WRONGTYPE for this alert, every time, while Redis is perfectly up.
    const keys = dedupKeys(tenant, fingerprint(poison, resolveSettings(noTenantSettings, poison, 600_000).fields));
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    await redis.set(keys.window, 'corrupted');
    const after = [alertFor(tenant, 2), alertFor(tenant, 3), alertFor(tenant, 4)];
    try {
      const dedup = await startService('dedup', { CONSUMER_GROUP: groupId, METRICS_PORT: String(await freePort()) });
      workers.push(dedup);
      // One Kafka key: all on one partition, the poison first.
      const key = `${tenant}|same-partition`;
      await producer.send([poison, ...after].map((a) => ({ topic: topics.alertsRaw, key, value: a })));
      const decided = async (a: Alert) => (await redis.hexists(dedupKeys(tenant, fingerprint(a, resolveSettings(noTenantSettings, a, 600_000).fields)).decisions, a.id)) === 1;
      await waitFor(async () => ((await Promise.all(after.map(decided))).every(Boolean) ? true : undefined), 90_000);

      const letter = await waitFor(async () => {
        const letters = (await readTopicSnapshot(kafka, topics.dlqDedup.name)).map((r) => fromDeadLetter(r));
        return letters.find((l) => l.value !== null && l.key?.toString() === key && l.source.topic === topics.alertsRaw.name);
      }, 30_000);
      expect(letter.error.code).toBe('STORE_OPERATION_FAILED');
      expect(letter.error.message).toMatch(/WRONGTYPE/);
      expect(letter.stage).toBe('dedup');
      expect(await codec.decode(letter.value)).toMatchObject({ id: poison.id });
    } finally {
      await redis.del(keys.window);
      redis.disconnect();
    }
  });
});
