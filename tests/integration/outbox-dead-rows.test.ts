import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTopics, schemaOf, topics } from '@vigil/contracts';
import { createCodec, createRecordProducer, resetGroupToEnd, type RecordProducer } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { createMetricsRegistry } from '@vigil/metrics';
import { createPool } from '@vigil/postgres';
import { INCIDENT_INDEX } from '@vigil/search';
import { createOutboxRelay, type OutboxRelay } from '@vigil/correlate';
import { retryDead } from '@vigil/incident-store';
import { testKafka } from '../support/kafka.ts';
import { freePort } from '../support/ports.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueGroup, uniqueTenant } from '../support/stack-env.ts';
import { waitFor } from '../support/wait.ts';

// One outbox row that can never be published (it does not match the incident schema)
// must be marked dead and must not hold back the rows behind it: those reach
// correlations.v1 and, through a real indexer, OpenSearch.

const kafka = testKafka();
const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-outbox');
const codec = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
const OPENSEARCH = stackEnv['OPENSEARCH_URL']!;
let producer: RecordProducer;
let relay: OutboxRelay | null = null;
let indexer: ServiceProcess | null = null;

type AvroType = string | { type: string; items?: AvroType; values?: AvroType } | AvroType[];

/** A value of an Avro type; built from the schema file so the test follows schema changes. */
function sampleOf(type: AvroType): unknown {
  if (Array.isArray(type)) return type.includes('null') ? null : sampleOf(type[0]!);
  const name = typeof type === 'string' ? type : type.type;
  if (name === 'string') return 'outbox-test';
  if (name === 'long' || name === 'int') return name === 'long' ? Date.now() : 1;
  if (name === 'boolean') return false;
  if (name === 'double' || name === 'float') return 0;
  if (name === 'array') return [];
  if (name === 'map') return {};
  throw new Error(`no sample for Avro type ${JSON.stringify(type)}`);
}

function sampleIncident(overrides: Record<string, unknown>): Record<string, unknown> {
  const schema = JSON.parse(schemaOf(topics.incidents)) as { fields: { name: string; type: AvroType }[] };
  return { ...Object.fromEntries(schema.fields.map((f) => [f.name, sampleOf(f.type)])), ...overrides };
}

async function enqueue(tenant: string, key: string, payload: unknown): Promise<string> {
  const result = await pool.query<{ id: string }>('INSERT INTO outbox (tenant_id, topic, message_key, payload) VALUES ($1, $2, $3, $4) RETURNING id', [tenant, topics.incidents.name, key, JSON.stringify(payload)]);
  return result.rows[0]!.id;
}

const rowState = async (id: string) =>
  (await pool.query<{ published_at: Date | null; dead_at: Date | null; dead_code: string | null; dead_reason: string | null }>('SELECT published_at, dead_at, dead_code, dead_reason FROM outbox WHERE id = $1', [id])).rows[0]!;

beforeAll(async () => {
  await codec.register(allTopics);
  producer = createRecordProducer(kafka, codec);
  await producer.connect();
});

afterAll(async () => {
  await relay?.stop();
  await indexer?.stop('SIGKILL');
  await producer.disconnect();
  await pool.end();
});

describe('outbox relay', () => {
  it('marks a row that cannot be published dead and publishes the rows behind it', async () => {
    const groupId = uniqueGroup('indexer-outbox');
    await resetGroupToEnd(kafka, groupId, [topics.alerts.name, topics.duplicates.name, topics.incidents.name]);
    indexer = await startService('indexer', { CONSUMER_GROUP: groupId, METRICS_PORT: String(await freePort()) });

    const tenant = uniqueTenant('outbox');
    const bad = await enqueue(tenant, `${tenant}|bad`, { not: 'an incident' });
    const good = [randomUUID(), randomUUID()].map((id) => sampleIncident({ id, tenant_id: tenant, revision: 1 }));
    const goodRows = await Promise.all(good.map((incident) => enqueue(tenant, `${tenant}|${String(incident['id'])}`, incident)));

    const metrics = createMetricsRegistry('outbox-test');
    relay = createOutboxRelay(pool, producer, createLogger({ service: 'outbox-test', level: 'silent' }), { metrics, statsEveryMs: 0 });
    relay.start();

    const dead = await waitFor(async () => {
      const state = await rowState(bad);
      return state.dead_at ? state : undefined;
    });
    expect(dead.published_at).toBeNull();
    expect(dead.dead_code).toBe('RECORD_REJECTED');
    expect(dead.dead_reason).toMatch(/schema/);
    await waitFor(async () => ((await Promise.all(goodRows.map(rowState))).every((s) => s.published_at !== null) ? true : undefined));

    // The incidents behind the dead row are searchable.
    const found = await waitFor(async () => {
      await fetch(`${OPENSEARCH}/${INCIDENT_INDEX}/_refresh`, { method: 'POST' });
      const response = await fetch(`${OPENSEARCH}/${INCIDENT_INDEX}/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ size: 10, query: { bool: { filter: [{ term: { tenant_id: tenant } }] } } }),
      });
      const ids = ((await response.json()) as { hits?: { hits: { _id: string }[] } }).hits?.hits.map((h) => h._id) ?? [];
      return ids.length === good.length ? ids : undefined;
    }, 60_000);
    expect(found.sort()).toEqual(good.map((g) => String(g['id'])).sort());

    // The dead row shows in the gauges; a retry puts it back in line, and it dies again.
    await waitFor(async () => ((relay!.stats()?.dead ?? 0) >= 1 ? true : undefined));
    expect((await metrics.getSingleMetric('vigil_outbox_dead_rows')?.get())?.values[0]?.value).toBeGreaterThanOrEqual(1);
    expect(await retryDead(pool, [bad])).toBe(1);
    await waitFor(async () => ((await rowState(bad)).dead_at !== null ? true : undefined));
    expect((await rowState(bad)).published_at).toBeNull();
  });

  it('publishes a row at once when woken after a commit, not at the end of its idle interval', async () => {
    await relay?.stop();
    // The only relay on the outbox now (test files run one at a time), idle for ten minutes between rounds.
    relay = createOutboxRelay(pool, producer, createLogger({ service: 'outbox-test', level: 'silent' }), { intervalMs: 600_000, statsEveryMs: 0 });
    relay.start();
    // The first round has run (its stats are read after it) and the relay is idle.
    await waitFor(async () => (relay!.stats() !== null ? true : undefined));
    const tenant = uniqueTenant('outbox-wake');
    const row = await enqueue(tenant, `${tenant}|wake`, sampleIncident({ id: randomUUID(), tenant_id: tenant, revision: 1 }));
    relay.wake();
    const published = await waitFor(async () => (await rowState(row)).published_at ?? undefined);
    expect(published).toBeInstanceOf(Date);
  });
});
