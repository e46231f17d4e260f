import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { topics } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { readTopicSnapshot, resetGroupToEnd, withAdmin } from '@vigil/kafka';
import { stageStatus, type StageTarget } from '@vigil/cli';
import { produce, testKafka } from '../support/kafka.ts';
import { freePort } from '../support/ports.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait.ts';

/**
 * `vigil status` reports a partition held by an outage as stuck, and clears it once the
 * outage is over. A private dedup worker (its own group) reaches Redis through a TCP
 * proxy, so cutting the proxy is an outage for this worker alone.
 */

const kafka = testKafka();
let proxy: TcpProxy | undefined;
let worker: ServiceProcess | undefined;

afterAll(async () => {
  await worker?.stop();
  await proxy?.close();
});

async function topicEnds(topic: string): Promise<Map<number, string>> {
  return withAdmin(kafka, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high])));
}

describe('vigil status during and after an outage', () => {
  it('shows the partition held by the outage as stuck, and clear once the outage ends', async () => {
    const tenant = uniqueTenant('status-stuck');
    const groupId = uniqueGroup('dedup-status');
    const redis = new URL(stackEnv['REDIS_URL']!);
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    await resetGroupToEnd(kafka, groupId, [topics.alertsRaw.name]);
    const metricsPort = await freePort();
    const target: StageTarget = { opsUrl: `http://127.0.0.1:${metricsPort}`, groupId };
    // A short threshold, so the report comes within a few lag samples rather than a minute.
    worker = await startService('dedup', { CONSUMER_GROUP: groupId, METRICS_PORT: String(metricsPort), REDIS_URL: `redis://127.0.0.1:${proxy.port}`, STAGE_STUCK_AFTER_SECONDS: '1' });
    expect((await stageStatus(kafka, 'dedup', target)).stuck).toEqual([]);

    proxy.cut();
    const before = await topicEnds(topics.alertsRaw.name);
    const alert = sampleAlert({ id: randomUUID(), tenant_id: tenant, rule_id: 'status-stuck-rule', event_time: Date.now() - 60_000 });
    await produce([{ topic: topics.alertsRaw, key: `${tenant}|${alert.rule_id}`, value: alert }]);
    const ours = (await readTopicSnapshot(kafka, topics.alertsRaw.name, { from: before })).find((r) => r.key?.toString() === `${tenant}|${alert.rule_id}`);
    expect(ours).toBeDefined();
    const isOurs = (s: { topic: string; partition: number }) => s.topic === topics.alertsRaw.name && s.partition === ours!.partition;

    const during = await waitFor(async () => {
      const status = await stageStatus(kafka, 'dedup', target);
      return status.stuck?.some(isOurs) ? status : undefined;
    });
    expect(during.stuck!.find(isOurs)!.lag).toBeGreaterThanOrEqual(1);
    expect(during.ready).toBe(false);

    proxy.restore();
    const after = await waitFor(async () => {
      const status = await stageStatus(kafka, 'dedup', target);
      return status.stuck !== null && !status.stuck.some(isOurs) && status.ready ? status : undefined;
    });
    expect(after.stuck!.some(isOurs)).toBe(false);
    // Cleared because our record was handled and committed, not because it was skipped.
    const [committed] = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topics.alertsRaw.name] }));
    expect(Number(committed!.partitions.find((p) => p.partition === ours!.partition)!.offset)).toBeGreaterThan(Number(ours!.offset));
  }, 120_000);
});
