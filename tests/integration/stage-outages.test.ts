import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { stages, topics, type Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { resetGroupToEnd, withAdmin } from '@vigil/kafka';
import { alertIndexFor } from '@vigil/search';
import { alertDocsOf, copiesById } from '../support/alert-docs.ts';
import { connectedRedis, metric, windowCounts } from '../support/dedup-state.ts';
import { kafkaFault, managedKafkaPid } from '../support/kafka-fault.ts';
import { produce, testKafka } from '../support/kafka.ts';
import { freePort } from '../support/ports.ts';
import { privateDay } from '../support/private-day.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait.ts';

/**
 * A real outage of Kafka, and of Postgres, under a running stage: the worker neither
 * exits nor skips; it pauses and resumes by itself, and each record takes effect exactly
 * once. Workers run in private consumer groups; the Kafka outage is the shared broker
 * stopped and started again (kept short, always restored), the Postgres outage a TCP
 * proxy cut between one worker and 127.0.0.1:5432.
 */

const log = (line: string) => process.stderr.write(`[stage-outages] ${line}\n`);
const kafka = testKafka();
const fault = kafkaFault(log);
const kafkaManaged = (await managedKafkaPid()) !== undefined;
const workers: ServiceProcess[] = [];
const proxies: TcpProxy[] = [];
const OPENSEARCH = stackEnv['OPENSEARCH_URL']!;
const indices: string[] = [];

afterAll(async () => {
  await fault.restore();
  for (const w of workers) await w.stop();
  for (const p of proxies) await p.close();
  for (const index of indices) await fetch(`${OPENSEARCH}/${index}`, { method: 'DELETE' });
});

async function topicEnds(topic: string): Promise<Map<number, number>> {
  return withAdmin(kafka, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)])));
}

/** The group committed everything up to `ends` on `topic`. */
async function committedPast(groupId: string, topic: string, ends: ReadonlyMap<number, number>): Promise<boolean> {
  const [offsets] = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return [...ends].every(([partition, end]) => Number(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1) >= end);
}

/** Still the process we started: an exit (and a restart by someone) would not be "pause and resume". */
async function stillRunning(worker: ServiceProcess): Promise<boolean> {
  return Promise.race([worker.exited.then(() => false), new Promise<boolean>((resolve) => setImmediate(() => resolve(true)))]);
}

function alertsOn(tenant: string, day: number, from: number, count: number): Alert[] {
  return Array.from({ length: count }, (_, i) => sampleAlert({ id: randomUUID(), tenant_id: tenant, rule_id: `outage-rule-${(from + i) % 5}`, host: `outage-host-${from + i}`, event_time: day + from + i }));
}

const canonical = (alert: Alert) => ({ topic: topics.alerts, key: `${alert.tenant_id}|${alert.rule_id}`, value: { ...alert, fingerprint: `f-${alert.id}` } });

describe('outages under a running stage', () => {
  it.runIf(kafkaManaged)('Kafka down and back: the indexer pauses and resumes, every alert indexed exactly once', async () => {
    const tenant = uniqueTenant('kafka-outage');
    const day = privateDay();
    indices.push(alertIndexFor(day));
    const groupId = uniqueGroup('indexer-kafka-outage');
    await resetGroupToEnd(kafka, groupId, stages.indexer.inputs.map((t) => t.name));
    // A short session, so the group is back soon after the broker is.
    const worker = await startService('indexer', { CONSUMER_GROUP: groupId, METRICS_PORT: String(await freePort()), KAFKA_SESSION_TIMEOUT_MS: '10000' });
    workers.push(worker);

    const before = alertsOn(tenant, day, 0, 300);
    await produce(before.map(canonical));
    // Mid-stream: the broker goes while the worker consumes, indexes and commits these.
    try {
      await fault.stop();
    } finally {
      await fault.restore();
    }
    const after = alertsOn(tenant, day, 300, 100);
    await produce(after.map(canonical));

    const expected = [...before, ...after].map((a) => a.id).sort();
    const docs = await waitFor(async () => {
      const found = await alertDocsOf(tenant);
      return found.length >= expected.length ? found : undefined;
    }, 180_000);
    const copies = copiesById(docs);
    expect([...copies.keys()].sort()).toEqual(expected);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(await stillRunning(worker)).toBe(true);
    await waitFor(async () => ((await fetch(`${worker.opsUrl}/readyz`)).status === 200 ? true : undefined));
  }, 300_000);

  it('Postgres cut from dedup: it pauses without committing, then decides every alert exactly once', async () => {
    // A new tenant: dedup has no cached settings for it, so it needs Postgres to go on.
    const tenant = uniqueTenant('pg-outage');
    const groupId = uniqueGroup('dedup-pg-outage');
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(stackEnv['DATABASE_URL']!).port || 5432) });
    proxies.push(proxy);
    const database = new URL(stackEnv['DATABASE_URL']!);
    database.host = `127.0.0.1:${proxy.port}`;
    await resetGroupToEnd(kafka, groupId, [topics.alertsRaw.name]);
    const worker = await startService('dedup', { CONSUMER_GROUP: groupId, METRICS_PORT: String(await freePort()), DATABASE_URL: database.toString() });
    workers.push(worker);

    proxy.cut();
    // One fingerprint: one window that must end up counting each alert once.
    const base = Date.now() - 10 * 60_000;
    const alerts = Array.from({ length: 50 }, (_, i) => sampleAlert({ id: randomUUID(), tenant_id: tenant, rule_id: 'pg-outage-rule', host: 'pg-outage-host', event_time: base + i * 1000 }));
    const start = await topicEnds(topics.alertsRaw.name);
    await produce(alerts.map((a) => ({ topic: topics.alertsRaw, key: `${tenant}|${a.rule_id}`, value: a })));
    const ends = await topicEnds(topics.alertsRaw.name);
    const ours = [...ends].filter(([p, end]) => end > (start.get(p) ?? 0)).map(([p]) => p);

    await waitFor(async () => ((await metric(worker.opsUrl, 'vigil_stage_paused_partitions')) > 0 ? true : undefined));
    // Paused, and our partition's committed offset has not passed our first record.
    const [atPause] = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topics.alertsRaw.name] }));
    for (const partition of ours) expect(Number(atPause!.partitions.find((p) => p.partition === partition)!.offset)).toBeLessThanOrEqual(start.get(partition)!);

    proxy.restore();
    await waitFor(async () => ((await committedPast(groupId, topics.alertsRaw.name, ends)) ? true : undefined));
    const redis = await connectedRedis();
    try {
      expect(await windowCounts(redis, tenant)).toEqual([alerts.length]);
    } finally {
      redis.disconnect();
    }
    expect(await stillRunning(worker)).toBe(true);
    await waitFor(async () => ((await metric(worker.opsUrl, 'vigil_stage_paused_partitions')) === 0 ? true : undefined));
  }, 120_000);
});
