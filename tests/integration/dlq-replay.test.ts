import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, topics, type Alert } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { createCodec, createRecordProducer, fitDeadLetter, isTrimmed, toDeadLetter, readTopicSnapshot, resetGroupToEnd, withAdmin } from '@vigil/kafka';
import { REPLAY_OF_HEADER, formatPosition, readDeadLetters, replayJobId, type StoredDeadLetter } from '@vigil/dead-letters';
import { alertIndexFor } from '@vigil/search';
import { testKafka } from '../support/kafka.ts';
import { freePort } from '../support/ports.ts';
import { privateDay } from '../support/private-day.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { cli, stackEnv, uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

const kafka = testKafka();
const codec = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
const OPENSEARCH = stackEnv['OPENSEARCH_URL']!;
let indexer: ServiceProcess;
let adminToken: string;
const indices: string[] = [];

beforeAll(async () => {
  await codec.register([topics.alerts]);
  adminToken = await tokenFor('ops', 'operator');
  const groupId = uniqueGroup('indexer-replay');
  await resetGroupToEnd(kafka, groupId, stages.indexer.inputs.map((t) => t.name));
  indexer = await startService('indexer', { CONSUMER_GROUP: groupId, METRICS_PORT: String(await freePort()) });
});

afterAll(async () => {
  await indexer?.stop();
  for (const index of indices) await fetch(`${OPENSEARCH}/${index}`, { method: 'DELETE' });
});

/** `vigil ...` as an operator runs it: a separate process, the token in VIGIL_TOKEN. */
async function vigil(args: readonly string[], token: string | undefined): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(cli.repoRoot, 'packages', 'cli', 'src', 'main.ts'), ...args], {
    cwd: cli.repoRoot,
    env: { ...cli.baseEnv, ...(token ? { VIGIL_TOKEN: token } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, out, err };
}

async function opensearch(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${OPENSEARCH}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return (await response.json()) as Record<string, unknown>;
}

/** An index nobody else writes to: the daily index of a random past day, from the template. */
async function blockedPrivateIndex(): Promise<{ day: number; index: string }> {
  const day = privateDay();
  const index = alertIndexFor(day);
  indices.push(index);
  await opensearch('PUT', `/${index}`);
  await opensearch('PUT', `/${index}/_settings`, { 'index.blocks.write': true });
  return { day, index };
}

async function docsOf(index: string, tenant: string): Promise<string[]> {
  await opensearch('POST', `/${index}/_refresh`);
  const body = (await opensearch('POST', `/${index}/_search`, { size: 100, _source: false, query: { bool: { filter: [{ term: { tenant_id: tenant } }] } } })) as { hits: { hits: { _id: string }[] } };
  return body.hits.hits.map((h) => h._id).sort();
}

function alertOn(tenant: string, day: number, n: number): Alert {
  return sampleAlert({
    id: randomUUID(),
    tenant_id: tenant,
    source_format: 'vigil',
    source_product: 'dlq-replay-test',
    rule_id: `replay-rule-${n}`,
    rule_name: `replay test rule ${n}`,
    severity: 'medium',
    severity_score: 50,
    event_time: day + n,
    received_time: Date.now(),
    src_ip: null,
    host: `replay-host-${n}`,
  });
}

/**
 * This tenant's dead letters, one per alert. Any other indexer on the shared topic that
 * met the same blocked index dead-letters the same alerts too; those copies stay put.
 */
async function deadLettersOf(tenant: string): Promise<StoredDeadLetter[]> {
  const byAlert = new Map<string, StoredDeadLetter>();
  for (const letter of await readDeadLetters(kafka, stages.indexer)) {
    const alert = (await codec.decode(letter.envelope.value).catch(() => null)) as Alert | null;
    if (alert?.tenant_id === tenant && !byAlert.has(alert.id)) byAlert.set(alert.id, letter);
  }
  return [...byAlert.values()];
}

async function endOffsets(topic: string): Promise<Map<number, string>> {
  return withAdmin(kafka, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high])));
}

describe('vigil dlq', () => {
  it('replays dead letters once the fault is fixed: each alert reaches the index once, a second replay sends nothing', async () => {
    const tenant = uniqueTenant('replay');
    const { day, index } = await blockedPrivateIndex();
    const alerts = Array.from({ length: 5 }, (_, n) => alertOn(tenant, day, n));
    const producer = createRecordProducer(kafka, codec);
    await producer.connect();
    await producer.send(alerts.map((a) => ({ topic: topics.alerts, key: `${a.tenant_id}|${a.rule_id}`, value: a, headers: { 'x-origin': 'dlq-replay-test' } })));
    await producer.disconnect();

    const letters = await waitFor(async () => {
      const found = await deadLettersOf(tenant);
      return found.length === alerts.length ? found : undefined;
    });
    expect(letters.every((l) => l.envelope.error.code === 'INDEX_REJECTED' && l.envelope.source.topic === topics.alerts.name)).toBe(true);
    expect(letters.every((l) => l.envelope.headers['x-origin']?.toString() === 'dlq-replay-test')).toBe(true);
    expect(await docsOf(index, tenant)).toEqual([]);

    // Inspect one: the payload is redacted unless --raw is given.
    const sample = letters[0]!;
    const position = `${sample.position.partition}:${sample.position.offset}`;
    const base64 = sample.envelope.value!.toString('base64');
    const shown = await vigil(['dlq', 'show', 'indexer', position], adminToken);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ source: sample.envelope.source, error: { code: 'INDEX_REJECTED' }, value: { redacted: true, bytes: sample.envelope.value!.length } });
    expect(shown.out).not.toContain(base64);
    const raw = await vigil(['dlq', 'show', 'indexer', position, '--raw'], adminToken);
    expect((JSON.parse(raw.out) as { value: { base64: string } }).value.base64).toBe(base64);

    // Fix the fault, then replay exactly these dead letters.
    await opensearch('PUT', `/${index}/_settings`, { 'index.blocks.write': false });
    const positions = letters.map((l) => `${l.position.partition}:${l.position.offset}`);
    const sourceStart = await endOffsets(topics.alerts.name);
    const first = await vigil(['dlq', 'replay', 'indexer', '--offsets', positions.join(','), '--json'], adminToken);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toEqual({ jobId: replayJobId('indexer', letters.map((l) => l.id)), state: 'created', total: 5, sent: 5, skipped: 0, missing: 0, notReplayable: [] });
    await waitFor(async () => ((await docsOf(index, tenant)).length === alerts.length ? true : undefined));
    expect(await docsOf(index, tenant)).toEqual(alerts.map((a) => a.id).sort());

    // The same command again is the same job; an overlapping selection is a new job
    // whose records the ledger skips.
    const again = await vigil(['dlq', 'replay', 'indexer', '--offsets', [...positions].reverse().join(','), '--json'], adminToken);
    expect(JSON.parse(again.out)).toMatchObject({ jobId: replayJobId('indexer', letters.map((l) => l.id)), state: 'existing' });
    const overlap = await vigil(['dlq', 'replay', 'indexer', '--offsets', positions.slice(0, 2).join(','), '--json'], adminToken);
    expect(JSON.parse(overlap.out)).toMatchObject({ state: 'created', total: 2, sent: 0, skipped: 2 });

    // The source topic got each dead letter back exactly once, with its original headers.
    const wanted = new Set(letters.map((l) => `${stages.indexer.dlq.name}:${l.position.partition}:${l.position.offset}`));
    const replayed = (await readTopicSnapshot(kafka, topics.alerts.name, { from: sourceStart })).filter((r) => wanted.has(String(r.headers[REPLAY_OF_HEADER] ?? '')));
    expect(replayed).toHaveLength(5);
    expect(new Set(replayed.map((r) => String(r.headers[REPLAY_OF_HEADER]))).size).toBe(5);
    expect(replayed.every((r) => String(r.headers['x-origin']) === 'dlq-replay-test' && Object.keys(r.headers).every((h) => !h.startsWith('vigil.dlq.')))).toBe(true);
    expect(await docsOf(index, tenant)).toEqual(alerts.map((a) => a.id).sort());

    const listed = await vigil(['dlq', 'list', '--stage', 'indexer', '--json'], adminToken);
    const [summary] = JSON.parse(listed.out) as { stage: string; count: number; replayed: number; codes: { code: string }[] }[];
    expect(summary!.stage).toBe('indexer');
    expect(summary!.replayed).toBeGreaterThanOrEqual(5);
    expect(summary!.codes.map((c) => c.code)).toContain('INDEX_REJECTED');
  });

  it('does not replay a dead letter trimmed to its envelope, and says so; a whole one beside it is replayed', async () => {
    const tenant = uniqueTenant('dlq-trimmed');
    const day = privateDay();
    indices.push(alertIndexFor(day));
    const [whole, big] = [alertOn(tenant, day, 0), { ...alertOn(tenant, day, 1), raw: 'x'.repeat(5000) }];
    const failure = { code: 'OUTPUT_TOO_LARGE' as const, message: 'test', attempts: 1 };
    const letterOf = async (alert: Alert, offset: string) => ({ topic: topics.alerts.name, partition: 0, offset, key: Buffer.from(`${tenant}|r`), headers: {}, value: await codec.encode(topics.alerts, alert) });
    const producer = createRecordProducer(kafka, codec);
    await producer.connect();
    try {
      const wholeLetter = toDeadLetter(stages.indexer.dlq.name, 'indexer', await letterOf(whole, '1'), failure, Date.now());
      // A budget below the record's size, as for an oversized record: the value is left out.
      const trimmedLetter = fitDeadLetter(toDeadLetter(stages.indexer.dlq.name, 'indexer', await letterOf(big, '2'), failure, Date.now()), 2000);
      expect(isTrimmed(trimmedLetter.headers)).toBe(true);
      await producer.sendRaw([wholeLetter, trimmedLetter]);
    } finally {
      await producer.disconnect();
    }
    const mine = (await readDeadLetters(kafka, stages.indexer)).filter((l) => l.envelope.key?.toString() === `${tenant}|r`);
    expect(mine.map((l) => l.envelope.trimmed ?? 'whole')).toEqual(['whole', 'value']);
    const [wholePos, trimmedPos] = mine.map((l) => formatPosition(l.position));

    const text = await vigil(['dlq', 'replay', 'indexer', '--offsets', trimmedPos!], adminToken);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`not replayable: 1 dead letter(s) trimmed to their envelope (original bytes not kept): ${trimmedPos}`);
    expect(text.out).toContain('nothing to replay');

    const both = await vigil(['dlq', 'replay', 'indexer', '--offsets', `${wholePos},${trimmedPos}`, '--json'], adminToken);
    expect(both.code).toBe(0);
    expect(JSON.parse(both.out.trim().split('\n').at(-1)!)).toMatchObject({ total: 1, sent: 1, notReplayable: [trimmedPos] });
    // The whole letter's alert reaches its index; the trimmed one's never does.
    await waitFor(async () => ((await docsOf(alertIndexFor(day), tenant)).length > 0 ? true : undefined));
    expect(await docsOf(alertIndexFor(day), tenant)).toEqual([whole.id]);
  });

  it('refuses without a token, or with a token lacking admin:dlq (a tenant admin included)', async () => {
    const none = await vigil(['dlq', 'replay', 'indexer', '--all'], undefined);
    expect(none.code).toBe(2);
    expect(none.out).toContain('operator token is required');
    // A tenant's admin reads its own letters through the query API, never every tenant's here.
    const tenantAdmin = await vigil(['dlq', 'list'], await tokenFor('ops', 'admin'));
    expect(tenantAdmin.code).toBe(3);
    expect(tenantAdmin.out).toContain('AUTH_FORBIDDEN');
    const analyst = await vigil(['dlq', 'replay', 'indexer', '--all'], await tokenFor('ops', 'analyst'));
    expect(analyst.code).toBe(3);
    expect(analyst.out).toContain('AUTH_FORBIDDEN');
    const forged = await vigil(['dlq', 'list'], `${adminToken.slice(0, -4)}AAAA`);
    expect(forged.code).toBe(3);
    expect(forged.out).toContain('AUTH_TOKEN_INVALID');
  });
});
