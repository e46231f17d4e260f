import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { topics, type Alert, type TopicSpec } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import {
  committedOffsets,
  createCodec,
  createRecordProducer,
  deferred,
  done,
  ensureTopics,
  fail,
  fromDeadLetter,
  groupLag,
  readTopicSnapshot,
  reject,
  resetGroupToEnd,
  setGroupOffsets,
  withAdmin,
  type Codec,
  type Outcome,
  type RecordProducer,
  type StageHandler,
} from '@vigil/kafka';
import { createRedisClient, redisHealthy } from '@vigil/redis';
import { alertIndexFor } from '@vigil/search';
import { testKafka } from '../support/kafka.ts';
import { freePort } from '../support/ports.ts';
import { privateDay } from '../support/private-day.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { testStages } from '../support/test-stage.ts';
import { waitFor } from '../support/wait.ts';

const kafka = testKafka();
const OPENSEARCH = stackEnv['OPENSEARCH_URL']!;
const codec: Codec = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
let producer: RecordProducer;

beforeAll(async () => {
  await codec.register([topics.alerts, topics.alertsRaw]);
  producer = createRecordProducer(kafka, codec);
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
});

function alertFor(tenant: string, n: number, overrides: Partial<Alert> = {}): Alert {
  const now = Date.now();
  return sampleAlert({
    id: randomUUID(),
    tenant_id: tenant,
    source_format: 'vigil',
    source_product: 'stage-runtime-test',
    rule_id: `rt-rule-${n}`,
    rule_name: `runtime test rule ${n}`,
    severity: 'high',
    severity_score: 75,
    event_time: now,
    received_time: now,
    src_ip: `10.77.${Math.floor(n / 250)}.${n % 250}`,
    host: `host-${n}`,
    ...overrides,
  });
}

const encode = (alert: Alert) => codec.encode(topics.alerts, alert);

async function sendTo(topic: string, records: readonly { key: string; value: Buffer; headers?: Record<string, string> }[]): Promise<void> {
  await producer.sendRaw(records.map((r) => ({ topic, key: Buffer.from(r.key), value: r.value, headers: r.headers ?? {} })));
}

async function committed(groupId: string, topic: string, partition = 0): Promise<number> {
  return (await committedOffsets(kafka, groupId, topic)).get(partition) ?? -1;
}

// ---------------------------------------------------------------------------------
// In-process test stages: private topics, a handler the test controls.

const stages = testStages(kafka, codec);
const startTestStage = stages.start;

afterEach(() => stages.stopAll());

afterAll(() => stages.cleanUp());

/** A handler that records what it saw and finishes everything, rejecting `reject-me` rules. */
function recordingHandler(): StageHandler & { readonly seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    healthy: async () => true,
    handle: async (records) =>
      records.map((r) => {
        const alert = r.value as Alert;
        seen.push(alert.id);
        return alert.rule_id === 'reject-me' ? reject('RECORD_REJECTED', 'marked for rejection by the test') : done();
      }),
  };
}

describe('stage runtime on real Kafka (in-process stage)', () => {
  it('dead-letters poison with its full envelope and keeps the partition moving', async () => {
    const handler = recordingHandler();
    const stage = await startTestStage(handler);
    const tenant = uniqueTenant('rt-poison');
    const good = [alertFor(tenant, 1), alertFor(tenant, 2), alertFor(tenant, 3)];
    const marked = alertFor(tenant, 4, { rule_id: 'reject-me' });
    const garbage = Buffer.from('definitely not avro \u0000\u00ff', 'latin1');
    const framed = await encode(alertFor(tenant, 5));
    const unknownMagic = Buffer.concat([Buffer.from([0x07]), framed.subarray(1)]);
    const started = Date.now();
    await stage.runtime.start();
    await sendTo(stage.input.name, [
      { key: 'k0', value: await encode(good[0]!), headers: { 'x-test': 'good-0' } },
      { key: 'k1', value: garbage, headers: { 'x-test': 'garbage' } },
      { key: 'k2', value: await encode(good[1]!), headers: { 'x-test': 'good-1' } },
      { key: 'k3', value: unknownMagic, headers: { 'x-test': 'magic' } },
      { key: 'k4', value: await encode(marked), headers: { 'x-test': 'marked' } },
      { key: 'k5', value: await encode(good[2]!), headers: { 'x-test': 'good-2' } },
    ]);

    await waitFor(async () => ((await committed(stage.spec.groupId, stage.input.name)) === 6 ? true : undefined), 30_000);
    expect(handler.seen).toEqual([good[0]!.id, good[1]!.id, marked.id, good[2]!.id]);
    expect((await groupLag(kafka, stage.spec.groupId, stage.input.name)).get(0)).toBe(0);

    const letters = (await readTopicSnapshot(kafka, stage.spec.dlq.name)).map((r) => fromDeadLetter(r));
    expect(letters.map((l) => [l.source.offset, l.error.code])).toEqual([
      ['1', 'RECORD_UNDECODABLE'],
      ['3', 'RECORD_UNDECODABLE'],
      ['4', 'RECORD_REJECTED'],
    ]);
    const [first, second] = letters;
    expect(first!.value).toEqual(garbage);
    expect(second!.value).toEqual(unknownMagic);
    expect(first!.key?.toString()).toBe('k1');
    expect(first!.headers['x-test']).toEqual(Buffer.from('garbage'));
    for (const letter of letters) {
      expect(letter.stage).toBe(stage.spec.name);
      expect(letter.source.topic).toBe(stage.input.name);
      expect(letter.source.partition).toBe(0);
      expect(letter.attempts).toBe(1);
      expect(letter.error.message.length).toBeGreaterThan(0);
      expect(Date.parse(letter.time)).toBeGreaterThanOrEqual(started - 1000);
    }
  });

  it('holds deferred records behind a failing one, dead-letters it on its last attempt, then applies the rest once and in order', async () => {
    const applied: string[] = [];
    let brokenTries = 0;
    // Like correlate's per-record fallback: apply in order, defer everything behind a failure.
    const ordered: StageHandler = {
      healthy: async () => true,
      handle: async (records) => {
        const outcomes: Outcome[] = [];
        for (const r of records) {
          const alert = r.value as Alert;
          if (outcomes.some((o) => o.kind === 'fail')) outcomes.push(deferred());
          else if (alert.rule_id === 'always-fails') {
            brokenTries++;
            outcomes.push(fail(new Error('not a catalogue error: retried, then dead-lettered')));
          } else {
            applied.push(alert.id);
            outcomes.push(done());
          }
        }
        return outcomes;
      },
    };
    const stage = await startTestStage(ordered);
    const tenant = uniqueTenant('rt-defer');
    const before = alertFor(tenant, 1);
    const broken = alertFor(tenant, 2, { rule_id: 'always-fails' });
    const after = [alertFor(tenant, 3), alertFor(tenant, 4)];
    await sendTo(stage.input.name, await Promise.all([before, broken, ...after].map(async (a, n) => ({ key: `k${n}`, value: await encode(a) }))));
    await stage.runtime.start();

    await waitFor(async () => ((await committed(stage.spec.groupId, stage.input.name)) === 4 ? true : undefined), 30_000);
    expect(applied).toEqual([before.id, ...after.map((a) => a.id)]);
    expect(brokenTries).toBe(3);
    const letters = (await readTopicSnapshot(kafka, stage.spec.dlq.name)).map((r) => fromDeadLetter(r));
    expect(letters.map((l) => [l.source.offset, l.error.code, l.attempts])).toEqual([['1', 'STAGE_UNHANDLED_ERROR', 3]]);
  });

  it('commits nothing past a poison record while its DLQ topic is missing, and recovers once it exists', async () => {
    const handler = recordingHandler();
    // Few client retries: each failed DLQ write returns in about a second.
    const stage = await startTestStage(handler, { dlqExists: false, retries: 1 });
    const tenant = uniqueTenant('rt-nodlq');
    await stage.runtime.start();
    await sendTo(stage.input.name, [{ key: 'a', value: await encode(alertFor(tenant, 1)) }]);
    await waitFor(async () => ((await committed(stage.spec.groupId, stage.input.name)) === 1 ? true : undefined), 30_000);

    const paused = new Promise<{ offset: string }>((resolve) => stage.runtime.events.once('paused', resolve));
    await sendTo(stage.input.name, [
      { key: 'b', value: Buffer.from('poison') },
      { key: 'c', value: await encode(alertFor(tenant, 2)) },
    ]);
    // The runtime tried (and retried) the DLQ write, then paused at the poison record.
    expect((await paused).offset).toBe('1');
    expect(await committed(stage.spec.groupId, stage.input.name)).toBe(1);
    expect((await groupLag(kafka, stage.spec.groupId, stage.input.name)).get(0)).toBe(2);

    await ensureTopics(kafka, [stage.spec.dlq]);
    await waitFor(async () => ((await committed(stage.spec.groupId, stage.input.name)) === 3 ? true : undefined), 60_000);
    const letters = await readTopicSnapshot(kafka, stage.spec.dlq.name);
    expect(letters.map((r) => [r.value?.toString(), fromDeadLetter(r).source.offset])).toEqual([['poison', '1']]);
  });

  it('on stop mid-batch commits exactly the records whose handler finished', async () => {
    let startedCount = 0;
    let finished = 0;
    const slow: StageHandler = {
      healthy: async () => true,
      handle: async (records) => {
        startedCount += records.length;
        await new Promise((resolve) => setTimeout(resolve, 150));
        finished += records.length;
        return records.map(() => done());
      },
    };
    const stage = await startTestStage(slow, { sliceSize: 1 });
    const tenant = uniqueTenant('rt-stop');
    const values = await Promise.all(Array.from({ length: 40 }, (_, n) => encode(alertFor(tenant, n))));
    await sendTo(stage.input.name, values.map((value, n) => ({ key: `k${n}`, value })));
    await stage.runtime.start();
    await waitFor(async () => (finished >= 5 ? true : undefined), 30_000, 20);
    // What SIGTERM does in a worker (exitOnSignals → shutdown → runtime.stop).
    await stage.stop();
    expect(startedCount).toBe(finished);
    expect(finished).toBeLessThan(40);
    expect(await committed(stage.spec.groupId, stage.input.name)).toBe(finished);
  });

  it('stops on an out-of-range offset without letting kafkajs reset it', async () => {
    const handler = recordingHandler();
    const stage = await startTestStage(handler);
    const tenant = uniqueTenant('rt-range');
    const values = await Promise.all(Array.from({ length: 6 }, (_, n) => encode(alertFor(tenant, n))));
    await sendTo(stage.input.name, values.map((value, n) => ({ key: `k${n}`, value })));
    // The group committed offset 1; retention then removed everything before offset 4.
    await setGroupOffsets(kafka, stage.spec.groupId, [{ topic: stage.input.name, partition: 0, offset: '1' }]);
    await withAdmin(kafka, async (admin) => {
      await admin.fetchTopicMetadata({ topics: [stage.input.name] }); // deleteTopicRecords needs it loaded
      await admin.deleteTopicRecords({ topic: stage.input.name, partitions: [{ partition: 0, offset: '4' }] });
    });
    await stage.runtime.start();
    expect(await stage.fatal).toMatchObject({ reason: 'offset-out-of-range', topic: stage.input.name, partition: 0 });
    expect(await stage.runtime.ready()).toBe(false);
    expect(handler.seen).toEqual([]);
    expect(await committed(stage.spec.groupId, stage.input.name)).toBe(1);
  });
});

// ---------------------------------------------------------------------------------
// Real worker processes.

/** Sum of a stage gauge's series on a worker's /metrics. */
async function gauge(service: ServiceProcess, name: string): Promise<number> {
  const text = await (await fetch(`${service.opsUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

const testIndices: string[] = [];

afterAll(async () => {
  for (const index of testIndices) await fetch(`${OPENSEARCH}/${index}`, { method: 'DELETE' });
});

function privateIndexAlerts(tenant: string, count: number): { alerts: Alert[]; index: string } {
  const day = privateDay();
  const index = alertIndexFor(day);
  testIndices.push(index);
  return { index, alerts: Array.from({ length: count }, (_, n) => alertFor(tenant, n, { event_time: day + n })) };
}

async function searchTenant(index: string, tenant: string): Promise<{ count: number; ids: string[] }> {
  await fetch(`${OPENSEARCH}/${index}/_refresh`, { method: 'POST' });
  const response = await fetch(`${OPENSEARCH}/${index}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 2000, _source: ['id'], query: { bool: { filter: [{ term: { tenant_id: tenant } }] } } }),
  });
  if (response.status === 404) return { count: 0, ids: [] };
  const body = (await response.json()) as { hits: { hits: { _id: string }[] } };
  const ids = body.hits.hits.map((h) => h._id);
  return { count: ids.length, ids };
}

const indexerInputs = [topics.alerts.name, topics.duplicates.name, topics.incidents.name];

async function endOffsets(topic: string): Promise<Map<number, number>> {
  return withAdmin(kafka, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)])));
}

/**
 * The group committed everything the topic held when `ends` was taken. Other tests and
 * benchmarks produce to the shared topics all the time, so "lag is zero" is no signal.
 */
async function committedPast(groupId: string, topic: string, ends: ReadonlyMap<number, number>): Promise<boolean> {
  const done = await committedOffsets(kafka, groupId, topic);
  return [...ends].every(([partition, end]) => (done.get(partition) ?? -1) >= end);
}

async function produceAlerts(alerts: readonly Alert[], topic: TopicSpec): Promise<void> {
  for (let i = 0; i < alerts.length; i += 500) await producer.send(alerts.slice(i, i + 500).map((a) => ({ topic, key: `${a.tenant_id}|${a.rule_id}`, value: a })));
}

/** A worker on its own consumer group that starts at the current end of its inputs. */
async function startWorker(name: 'indexer' | 'dedup', groupId: string, env: Record<string, string>): Promise<ServiceProcess & { kill(signal?: NodeJS.Signals): Promise<void> }> {
  return startService(name, { CONSUMER_GROUP: groupId, METRICS_PORT: String(await freePort()), LOG_LEVEL: 'info', ...env });
}

describe('stage runtime in real worker processes', () => {
  let proxy: TcpProxy;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    const target = new URL(OPENSEARCH);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  });

  afterEach(async () => {
    proxy.delayReplies(0);
    proxy.restore();
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
  });

  afterAll(async () => {
    await proxy.close();
  });

  it('after kill -9 mid-batch and a restart, indexes every alert exactly once', async () => {
    const groupId = uniqueGroup('indexer-kill');
    await resetGroupToEnd(kafka, groupId, indexerInputs);
    const env = { OPENSEARCH_URL: proxy.url };
    const first = await startWorker('indexer', groupId, env);
    workers.push(first);
    const tenant = uniqueTenant('rt-kill');
    const { alerts, index } = privateIndexAlerts(tenant, 400);

    await produceAlerts(alerts.slice(0, 200), topics.alerts);
    const firstHalf = await endOffsets(topics.alerts.name);
    await waitFor(async () => ((await committedPast(groupId, topics.alerts.name, firstHalf)) ? true : undefined));
    expect((await searchTenant(index, tenant)).count).toBe(200);

    // OpenSearch applies the next bulk requests at once, but the indexer hears back only
    // seconds later: the writes are durable while their offsets are not committed yet.
    proxy.delayReplies(5_000);
    await produceAlerts(alerts.slice(200), topics.alerts);
    const secondHalf = await endOffsets(topics.alerts.name);
    await waitFor(async () => ((await searchTenant(index, tenant)).count > 200 ? true : undefined), 60_000, 100);
    await first.kill('SIGKILL');
    proxy.delayReplies(0);
    // Killed mid-batch: part of the second half is written, not all of it committed.
    expect(await committedPast(groupId, topics.alerts.name, secondHalf)).toBe(false);

    workers.push(await startWorker('indexer', groupId, env));
    await waitFor(async () => ((await committedPast(groupId, topics.alerts.name, secondHalf)) ? true : undefined));
    const found = await searchTenant(index, tenant);
    expect(found.count).toBe(400);
    expect([...found.ids].sort()).toEqual(alerts.map((a) => a.id).sort());
  });

  it('pauses while OpenSearch is cut off and resumes by itself when it is back', async () => {
    const groupId = uniqueGroup('indexer-outage');
    await resetGroupToEnd(kafka, groupId, indexerInputs);
    const indexer = await startWorker('indexer', groupId, { OPENSEARCH_URL: proxy.url });
    workers.push(indexer);
    const tenant = uniqueTenant('rt-os');
    const { alerts, index } = privateIndexAlerts(tenant, 40);

    proxy.cut();
    await produceAlerts(alerts, topics.alerts);
    const produced = await endOffsets(topics.alerts.name);
    await waitFor(async () => ((await gauge(indexer, 'vigil_stage_paused_partitions')) > 0 ? true : undefined));
    // The lag gauge follows the broker while paused instead of freezing at its last commit.
    const lagWhileDown = await waitFor(async () => {
      const lag = await gauge(indexer, 'vigil_stage_consumer_lag');
      return lag > 0 ? lag : undefined;
    });
    // (Other indexers on the shared topic may index these alerts meanwhile; this one must not move past them.)
    expect(await committedPast(groupId, topics.alerts.name, produced)).toBe(false);

    proxy.restore();
    await waitFor(async () => ((await committedPast(groupId, topics.alerts.name, produced)) ? true : undefined));
    expect((await searchTenant(index, tenant)).count).toBe(40);
    await waitFor(async () => ((await gauge(indexer, 'vigil_stage_paused_partitions')) === 0 ? true : undefined));
    await waitFor(async () => ((await gauge(indexer, 'vigil_stage_consumer_lag')) < lagWhileDown ? true : undefined));
  });

  it('pauses while its Redis is down and resumes by itself when it is back', async () => {
    const redisPort = await freePort();
    const startRedis = (): ChildProcess => spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    const probe = createRedisClient(`redis://127.0.0.1:${redisPort}`, 'rt-probe');
    let redis = startRedis();
    try {
      await waitFor(async () => ((await redisHealthy(probe)) ? true : undefined));
      const groupId = uniqueGroup('dedup-outage');
      await resetGroupToEnd(kafka, groupId, [topics.alertsRaw.name]);
      const outputStart = new Map((await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topics.alerts.name))).map((o) => [o.partition, o.high]));
      const dedup = await startWorker('dedup', groupId, { REDIS_URL: `redis://127.0.0.1:${redisPort}` });
      workers.push(dedup);
      const tenant = uniqueTenant('rt-redis');
      const alerts = Array.from({ length: 40 }, (_, n) => alertFor(tenant, n));
      const raw = topics.alertsRaw.name;

      await produceAlerts(alerts.slice(0, 20), topics.alertsRaw);
      const before = await endOffsets(raw);
      await waitFor(async () => ((await committedPast(groupId, raw, before)) ? true : undefined));

      redis.kill('SIGKILL');
      await waitFor(async () => ((await redisHealthy(probe)) ? undefined : true));
      await produceAlerts(alerts.slice(20), topics.alertsRaw);
      const during = await endOffsets(raw);
      await waitFor(async () => ((await gauge(dedup, 'vigil_stage_paused_partitions')) > 0 ? true : undefined));
      const lagWhileDown = await waitFor(async () => {
        const lag = await gauge(dedup, 'vigil_stage_consumer_lag');
        return lag > 0 ? lag : undefined;
      });
      expect(await committedPast(groupId, raw, during)).toBe(false);

      redis = startRedis();
      await waitFor(async () => ((await committedPast(groupId, raw, during)) ? true : undefined));
      await waitFor(async () => ((await gauge(dedup, 'vigil_stage_paused_partitions')) === 0 ? true : undefined));
      await waitFor(async () => ((await gauge(dedup, 'vigil_stage_consumer_lag')) < lagWhileDown ? true : undefined));
      // Every alert made it downstream; none was skipped while Redis was away.
      const outputs = await readTopicSnapshot(kafka, topics.alerts.name, { from: outputStart });
      const codecRecords = await Promise.all(outputs.map(async (r) => (await codec.decode(r.value).catch(() => null)) as Alert | null));
      const ours = new Set(codecRecords.filter((a): a is Alert => a?.tenant_id === tenant).map((a) => a.id));
      expect([...ours].sort()).toEqual(alerts.map((a) => a.id).sort());
    } finally {
      redis.kill('SIGKILL');
      probe.disconnect();
    }
  });
});
