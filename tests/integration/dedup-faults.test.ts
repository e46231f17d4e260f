import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import type { OutgoingRecord } from '@vigil/kafka';
import { createPool } from '@vigil/postgres';
import type { RedisClient } from '@vigil/redis';
import { countDedupWindows, tenantOfWindowKey } from '@vigil/dedup';
import { ALERT_INDEX_PATTERN, createSearchClient } from '@vigil/search';
import { connectedRedis, metric, windowCounts } from '../support/dedup-state.ts';
import { produce, testKafka } from '../support/kafka.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { cli, stackEnv, uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait.ts';

// The dedup worker under faults, with real Kafka, Redis, Postgres and OpenSearch:
// - killed with SIGKILL twice while it works, restarted each time: the index must end
//   with exactly the expected canonical alerts and counts;
// - Redis taken away from it: it must pause (commit nothing, drop nothing, pass nothing
//   through) and resume by itself when Redis is back.

const TOTAL = 10_000;
const GROUPS = 40;
const MINUTE = 60_000;
const LATENESS = 5 * MINUTE;
const rules = [
  { id: 'r-net-1', format: 'suricata', windowMs: 10 * MINUTE },
  { id: 'r-net-2', format: 'suricata', windowMs: 10 * MINUTE },
  { id: 'r-host-1', format: 'wazuh', windowMs: 10 * MINUTE },
  { id: 'r-host-2', format: 'wazuh', windowMs: 15 * MINUTE },
] as const;

/** mulberry32: the run is reproducible from the seed printed on failure. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integers in [min, max] from `random`. */
const intsFrom =
  (random: () => number) =>
  (min: number, max: number): number =>
    min + Math.floor(random() * (max - min + 1));

interface ExpectedDoc {
  id: string;
  rule_id: string;
  dedup_count: number;
  first_seen: number;
  last_seen: number;
}

type Rule = (typeof rules)[number];

/**
 * An alert of group `g`: fields in the rule's fingerprint are fixed per group, the
 * others vary (so only the configured fields may decide what is a duplicate).
 */
function testAlert(tenant: string, rule: Rule, g: number, eventTime: number, int: (min: number, max: number) => number): Alert {
  const network = rule.format === 'suricata';
  return sampleAlert({
    id: randomUUID(),
    tenant_id: tenant,
    source_format: rule.format,
    source_product: rule.format,
    sensor_id: 'sensor-1',
    rule_id: rule.id,
    rule_name: `Rule ${rule.id}`,
    severity: 'high',
    severity_score: 75,
    event_time: eventTime,
    received_time: eventTime + 1000,
    src_ip: network ? `10.1.${g}.1` : `192.0.2.${int(1, 250)}`,
    src_port: int(1024, 65535),
    dst_ip: network ? `10.2.0.${g % 7}` : `198.51.100.${int(1, 250)}`,
    dst_port: network ? 443 + g : int(1, 65535),
    protocol: network ? 'tcp' : null,
    host: network ? `sensor-host-${int(1, 9)}` : `host-${g}`,
  });
}

/** Event times two days back (UTC): windows fall in a daily index that no other test writes. */
function twoDaysAgoAt(hour: number): number {
  const day = 24 * 3_600_000;
  return Math.floor(Date.now() / day) * day - 2 * day + hour * 3_600_000;
}

const rawRecord = (alert: Alert): OutgoingRecord => ({ topic: topics.alertsRaw, key: `${alert.tenant_id}|${alert.rule_id}`, value: alert });

function buildDataset(tenant: string, random: () => number) {
  const int = intsFrom(random);
  const base = twoDaysAgoAt(1);
  const lateGroups = [...Array(GROUPS).keys()].filter((g) => g % 5 === 0);
  // Burst sizes: 2 bursts (windows) per group, every burst at least one alert.
  const weights = Array.from({ length: GROUPS * 2 }, () => 0.2 + random());
  const budget = TOTAL - lateGroups.length;
  const scale = (budget - weights.length) / weights.reduce((s, w) => s + w, 0);
  const sizes = weights.map((w) => 1 + Math.floor(w * scale));
  sizes[0]! += budget - sizes.reduce((s, n) => s + n, 0);

  const sequences: Alert[][] = [];
  const expected: ExpectedDoc[] = [];
  // What Redis must hold at the end: each group's second window, the late alert not in it.
  const live: ExpectedDoc[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const rule = rules[g % rules.length]!;
    const alert = (eventTime: number) => testAlert(tenant, rule, g, eventTime, int);
    const sequence: Alert[] = [];
    for (let b = 0; b < 2; b++) {
      const anchor = base + g * 7_000 + b * 3_600_000;
      const burst = [alert(anchor)];
      for (let i = 1; i < sizes[g * 2 + b]!; i++) burst.push(alert(anchor + int(-LATENESS + 1, rule.windowMs - 1)));
      const times = burst.map((a) => a.event_time);
      expected.push({ id: burst[0]!.id, rule_id: rule.id, dedup_count: burst.length, first_seen: Math.min(...times), last_seen: Math.max(...times) });
      if (b === 1) live.push(expected.at(-1)!);
      sequence.push(...burst);
      if (b === 1 && lateGroups.includes(g)) {
        // Belongs to the first window's time, arrives after the second opened: too late, forwarded on its own.
        const late = alert(base + g * 7_000 + 1000);
        sequence.splice(sequence.length - burst.length + 1 + int(0, burst.length - 1), 0, late);
        expected.push({ id: late.id, rule_id: rule.id, dedup_count: 1, first_seen: late.event_time, last_seen: late.event_time });
      }
    }
    sequences.push(sequence);
  }
  // A random interleaving of the groups that keeps each group's own order.
  const alerts: Alert[] = [];
  const next = sequences.map(() => 0);
  while (alerts.length < TOTAL) {
    const open = sequences.map((s, g) => (next[g]! < s.length ? g : -1)).filter((g) => g >= 0);
    const g = open[int(0, open.length - 1)]!;
    alerts.push(sequences[g]![next[g]!++]!);
  }
  const byId = (a: ExpectedDoc, b: ExpectedDoc) => a.id.localeCompare(b.id);
  return { alerts, expected: expected.sort(byId), live: live.sort(byId) };
}

const kafka = testKafka();
const admin = kafka.admin();
const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
// Settings are written by operators, not the app role: the admin connection, on the vigil database.
const settingsUrl = new URL(cli.adminDatabaseUrl);
settingsUrl.pathname = '/vigil';
const settingsDb = createPool(settingsUrl.toString(), 'vigil-tests', 1);
const running: ServiceProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const cleanup of cleanups) await cleanup();
  await admin.disconnect();
  await search.close();
  await settingsDb.end();
});

/**
 * Commit the current end of the topics for a new group, so only records from now on
 * reach it (admin.setOffsets would join the group once per topic, seconds each).
 */
async function startGroupAtEnd(groupId: string, topicNames: readonly string[]): Promise<void> {
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topicNames], fromBeginning: false });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    const offsets = await Promise.all(topicNames.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, offset: p.high }))));
    await consumer.commitOffsets(offsets.flat());
  } finally {
    // Leaving the group (not just dropping the connection) lets the worker join at once.
    await consumer.disconnect();
  }
}

/** Records of alerts.raw.v1 the group has committed since `start` (other tests may produce too). */
async function committed(groupId: string, start: ReadonlyMap<number, number>): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topics.alertsRaw.name] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset) - (start.get(p.partition) ?? 0)), 0);
}

/** The group committed everything up to `ends` (the topic's end right after our records). */
async function committedPast(groupId: string, ends: ReadonlyMap<number, number>): Promise<boolean> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topics.alertsRaw.name] });
  return [...ends].every(([partition, end]) => Number(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1) >= end);
}

async function topicEnds(topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
}

interface IndexedDoc extends ExpectedDoc {
  readonly fingerprint: string | null;
}

async function indexedDocs(tenant: string): Promise<IndexedDoc[]> {
  const response = await search.search({
    index: ALERT_INDEX_PATTERN,
    body: { size: 1000, query: { term: { tenant_id: tenant } }, _source: ['id', 'rule_id', 'dedup_count', 'first_seen', 'last_seen', 'fingerprint'] },
  });
  const hits = (response.body as { hits: { hits: { _source: Partial<IndexedDoc> }[] } }).hits.hits;
  return hits.map(({ _source: d }) => ({ id: d.id!, rule_id: d.rule_id!, dedup_count: d.dedup_count!, first_seen: d.first_seen!, last_seen: d.last_seen!, fingerprint: d.fingerprint ?? null })).sort((a, b) => a.id.localeCompare(b.id));
}

/** What is compared: a doc that only a notice created (its alert not indexed yet) has no rule_id. */
const comparable = (docs: readonly IndexedDoc[]): ExpectedDoc[] => docs.map(({ id, rule_id, dedup_count, first_seen, last_seen }) => ({ id, rule_id, dedup_count, first_seen, last_seen }));

/** The tenant's dedup settings: 10 min windows; the host rules fingerprint on the host alone. */
async function configureTenant(tenant: string): Promise<void> {
  await settingsDb.query(
    `INSERT INTO dedup_settings (tenant_id, rule_id, fields, window_seconds) VALUES
       ($1, NULL, NULL, 600), ($1, 'r-host-1', '{host}', NULL), ($1, 'r-host-2', '{host}', 900)`,
    [tenant],
  );
  cleanups.push(() => settingsDb.query('DELETE FROM dedup_settings WHERE tenant_id = $1', [tenant]));
}

/** The tenant's live windows as (canonical id, count, first, last), by canonical id. */
async function liveWindows(redis: RedisClient, tenant: string): Promise<Omit<ExpectedDoc, 'rule_id'>[]> {
  const windows: Omit<ExpectedDoc, 'rule_id'>[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `vigil:dedup:{${tenant}}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys.filter((k) => tenantOfWindowKey(k) === tenant)) {
      const [cid, n, first, last] = await redis.hmget(key, 'cid', 'n', 'first', 'last');
      windows.push({ id: cid!, dedup_count: Number(n), first_seen: Number(first), last_seen: Number(last) });
    }
  } while (cursor !== '0');
  return windows.sort((a, b) => a.id.localeCompare(b.id));
}


describe('dedup under kill -9', () => {
  it('ends with exactly the expected canonical alerts and counts', async () => {
    const seed = Number(process.env['DEDUP_TEST_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    const random = prng(seed);
    const tenant = uniqueTenant('dedup-crash');
    const { alerts, expected, live } = buildDataset(tenant, random);
    let context = `seed ${seed}, tenant ${tenant}`;
    // Rerun a failure with DEDUP_TEST_SEED=<seed>.
    console.info(`dedup kill test: ${context}`);

    await configureTenant(tenant);

    const dedupGroup = uniqueGroup('dedup');
    const indexerGroup = uniqueGroup('indexer');
    const start = await topicEnds(topics.alertsRaw.name);
    await Promise.all([startGroupAtEnd(dedupGroup, [topics.alertsRaw.name]), startGroupAtEnd(indexerGroup, [topics.alerts.name, topics.duplicates.name, topics.incidents.name])]);

    await produce(alerts.map(rawRecord));
    const ends = await topicEnds(topics.alertsRaw.name);

    // A short session lets the restarted worker take over the killed one's partitions quickly.
    const dedupEnv = { CONSUMER_GROUP: dedupGroup, METRICS_PORT: '19612', DEDUP_LATENESS_SECONDS: String(LATENESS / 1000), KAFKA_SESSION_TIMEOUT_MS: '8000' };
    const [indexer, firstDedup] = await Promise.all([startService('indexer', { CONSUMER_GROUP: indexerGroup, METRICS_PORT: '19613' }), startService('dedup', dedupEnv)]);
    running.push(indexer, firstDedup);

    // Kill when the committed progress passes a random point: the worker is then in the
    // middle of later slices, some decided in Redis and not yet committed.
    let dedup = firstDedup;
    for (const [low, high] of [
      [0.1, 0.4],
      [0.5, 0.85],
    ] as const) {
      const target = Math.floor(TOTAL * (low + random() * (high - low)));
      await waitFor(async () => ((await committed(dedupGroup, start)) >= target ? true : undefined), 90_000, 20);
      await dedup.kill('SIGKILL');
      running.splice(running.indexOf(dedup), 1);
      dedup = await startService('dedup', dedupEnv);
      running.push(dedup);
    }

    await waitFor(async () => ((await committedPast(dedupGroup, ends)) ? true : undefined), 90_000);
    // Not asserted (a kill may land between two slices), but shown on failure.
    context += `, redeliveries seen after the last restart: ${await metric(dedup.opsUrl, 'vigil_dedup_redelivered_total')}`;
    const settled = async () => {
      const docs = await indexedDocs(tenant);
      return JSON.stringify(comparable(docs)) === JSON.stringify(expected) ? docs : undefined;
    };
    // On timeout, fall through to the assertion so the failure shows the difference.
    const docs = await waitFor(settled, 60_000, 500).catch(() => indexedDocs(tenant));
    expect(comparable(docs), context).toEqual(expected);

    // One fingerprint per group (both windows and the late one share it), distinct across groups.
    const byRuleAndPrint = new Set(docs.map((d) => `${d.rule_id}|${d.fingerprint}`));
    expect(new Set(docs.map((d) => d.fingerprint)).size, context).toBe(GROUPS);
    expect(byRuleAndPrint.size, context).toBe(GROUPS);

    // The window state: one window per fingerprint, its second, with that window's final
    // values. Counted for this tenant only: the shared Redis may hold millions of other
    // dedup keys (benchmarks), and an all-tenant count stops at its budget (a lower bound).
    const redis = await connectedRedis();
    try {
      expect(await countDedupWindows(redis, { tenant }), context).toEqual({ byTenant: new Map([[tenant, GROUPS]]), truncated: false });
      expect(await liveWindows(redis, tenant), context).toEqual(live.map(({ rule_id: _, ...window }) => window));
    } finally {
      redis.disconnect();
    }
  }, 180_000);
});

describe('dedup with Redis down', () => {
  it('pauses without committing, dropping or passing anything through, and resumes by itself', async () => {
    const tenant = uniqueTenant('dedup-outage');
    await configureTenant(tenant);
    const group = uniqueGroup('dedup');
    const upstream = new URL(stackEnv['REDIS_URL']!);
    const proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 6379) });
    cleanups.push(() => proxy.close());
    await startGroupAtEnd(group, [topics.alertsRaw.name]);
    const worker = await startService('dedup', { CONSUMER_GROUP: group, METRICS_PORT: '19614', REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    running.push(worker);

    // Four fingerprints, 50 alerts each before and 50 during the outage, all in one 10 min window.
    const int = intsFrom(prng(7));
    const base = twoDaysAgoAt(4);
    const batch = (from: number) => rules.flatMap((rule, g) => Array.from({ length: 50 }, (_, i) => testAlert(tenant, rule, g, base + (from + i) * 5000, int)));

    await produce(batch(0).map(rawRecord));
    const beforeOutage = await topicEnds(topics.alertsRaw.name);
    await waitFor(async () => ((await committedPast(group, beforeOutage)) ? true : undefined));

    proxy.cut();
    await waitFor(async () => ((await fetch(`${worker.opsUrl}/readyz`)).status === 503 ? true : undefined));
    const committedOffsets = async () => (await admin.fetchOffsets({ groupId: group, topics: [topics.alertsRaw.name] }))[0]?.partitions.map((p) => [p.partition, p.offset]);
    const atCut = await committedOffsets();
    await produce(batch(50).map(rawRecord));
    const afterOutage = await topicEnds(topics.alertsRaw.name);
    await waitFor(async () => ((await metric(worker.opsUrl, 'vigil_stage_paused_partitions')) > 0 ? true : undefined));
    // Paused, and not one offset committed since Redis went away.
    expect(await committedOffsets()).toEqual(atCut);

    proxy.restore();
    await waitFor(async () => ((await committedPast(group, afterOutage)) ? true : undefined));
    const redis = await connectedRedis();
    try {
      // Every alert decided exactly once: one window per fingerprint holding all 100.
      expect(await windowCounts(redis, tenant)).toEqual([100, 100, 100, 100]);
    } finally {
      redis.disconnect();
    }
    await waitFor(async () => ((await metric(worker.opsUrl, 'vigil_stage_paused_partitions')) === 0 ? true : undefined));
  }, 120_000);
});
