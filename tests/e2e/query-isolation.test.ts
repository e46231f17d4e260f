import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@vigil/postgres';
import { createSearchClient } from '@vigil/search';
import { createCursorCodec, queryHash } from '@vigil/query-api';
import { seedTenant, type Seeded } from '../support/query-seed.ts';
import { privateDay } from '../support/private-day.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

// Two tenants with look-alike data (same rules, hosts, addresses, labels) and one marker
// each. Whatever tenant A sends, it gets only its own data or a 4xx, never B's.

const PORT = 18021;
const URL_ = `http://127.0.0.1:${PORT}`;
const CURSOR_KEY = `isolation-test-key-${randomUUID()}`;
const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-query-isolation');
const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
const A = uniqueTenant('iso-a');
const B = uniqueTenant('iso-b');
const COUNT = 30;
let api: ServiceProcess;
let a: Seeded;
let b: Seeded;
let tokenA: string;
let tokenB: string;
let from: number;
let to: number;

interface Answer {
  status: number;
  body: Record<string, unknown> & { items?: Array<Record<string, unknown>>; next_cursor?: string; error?: { code: string } };
}

async function call(token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${URL_}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}
const get = (token: string, path: string) => call(token, 'GET', path);

/** The one property every answer to A must have: its own data only, or a client error. */
function ownOrClientError(answer: Answer, what: string): void {
  const text = JSON.stringify(answer.body);
  expect(text, what).not.toContain(B);
  expect(text, what).not.toContain(b.marker);
  if (answer.status >= 400) {
    expect(answer.status, what).toBeLessThan(500);
    return;
  }
  expect(answer.status, what).toBe(200);
  for (const item of answer.body.items ?? []) expect(item['tenant_id'], what).toBe(A);
}

const qs = (params: Record<string, string | string[]>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) s.append(k, one);
  return s.toString();
};

beforeAll(async () => {
  const day = privateDay();
  from = day - 1000;
  to = day + 86_400_000;
  a = await seedTenant(search, pool, A, day, COUNT, `marka${randomUUID().slice(0, 8)}`);
  b = await seedTenant(search, pool, B, day, COUNT, `markb${randomUUID().slice(0, 8)}`);
  [tokenA, tokenB] = await Promise.all([tokenFor(A, 'analyst'), tokenFor(B, 'analyst')]);
  api = await startService('query-api', { PORT: String(PORT), METRICS_PORT: '19521', CURSOR_KEY, CURSOR_TTL_MS: '60000' });
});

afterAll(async () => {
  await api?.stop();
  await pool.end();
  await search.close();
});

describe('tenant isolation of the query API', () => {
  it('pages through exactly its own alerts with cursors, each once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await get(tokenA, `/v1/alerts?${qs({ from: String(from), to: String(to), size: '7', ...(cursor ? { cursor } : {}) })}`);
      ownOrClientError(answer, 'paging');
      expect(answer.status).toBe(200);
      seen.push(...answer.body.items!.map((i) => String(i['id'])));
      cursor = answer.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(Math.ceil(COUNT / 7));
    expect(new Set(seen).size).toBe(COUNT);
    expect(seen.sort()).toEqual([...a.alertIds].sort());
  });

  it("refuses the other tenant's cursor, a cursor for other parameters, a forged deep cursor and huge pages", async () => {
    const first = await get(tokenB, `/v1/alerts?${qs({ from: String(from), to: String(to), size: '5' })}`);
    expect(first.body.next_cursor).toBeTruthy();
    const stolen = await get(tokenA, `/v1/alerts?${qs({ from: String(from), to: String(to), size: '5', cursor: first.body.next_cursor! })}`);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error?.code).toBe('CURSOR_INVALID');
    ownOrClientError(stolen, 'stolen cursor');

    const own = await get(tokenA, `/v1/alerts?${qs({ from: String(from), to: String(to), size: '5' })}`);
    const widened = await get(tokenA, `/v1/alerts?${qs({ from: '0', to: String(to), size: '5', cursor: own.body.next_cursor! })}`);
    expect(widened.body.error?.code).toBe('CURSOR_INVALID');

    // A correctly signed cursor (the test knows the key) that claims to be deep is capped.
    const params = { from, to, size: 5, sort: 'event_time:desc' };
    const deep = createCursorCodec(CURSOR_KEY).encode({ tn: A, kind: 'alerts', qh: queryHash(params), sa: [to, 'x'], pit: null, seen: 49_999, exp: Date.now() + 60_000 });
    const tooDeep = await get(tokenA, `/v1/alerts?${qs({ from: String(from), to: String(to), size: '5', cursor: deep })}`);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error?.code).toBe('QUERY_TOO_DEEP');

    for (const size of ['501', '100000', '0', '-1']) expect((await get(tokenA, `/v1/alerts?size=${size}`)).status).toBe(400);
    expect((await get(tokenA, '/v1/alerts?offset=9990')).status).toBe(400);
  });

  it("answers 404 for the other tenant's alert, incident and case ids, and refuses to link them", async () => {
    for (const id of b.alertIds.slice(0, 3)) expect((await get(tokenA, `/v1/alerts/${id}`)).status).toBe(404);
    for (const id of b.incidentIds) {
      expect((await get(tokenA, `/v1/incidents/${id}`)).status).toBe(404);
      expect((await call(tokenA, 'POST', `/v1/incidents/${id}/acknowledge`, {})).status).toBe(404);
      expect((await call(tokenA, 'POST', `/v1/incidents/${id}/close`, { reason: 'x' })).status).toBe(404);
      const filtered = await get(tokenA, `/v1/alerts?incident_id=${id}`);
      ownOrClientError(filtered, 'incident filter');
      expect(filtered.body.items).toEqual([]);
    }
    const bCase = await call(tokenB, 'POST', '/v1/cases', { title: `case ${b.marker}`, alert_ids: b.alertIds.slice(0, 2), incident_ids: b.incidentIds.slice(0, 1) });
    expect(bCase.status).toBe(201);
    const bCaseId = String(bCase.body['id']);
    expect((await get(tokenB, `/v1/cases/${bCaseId}`)).status).toBe(200);
    expect((await get(tokenA, `/v1/cases/${bCaseId}`)).status).toBe(404);
    expect((await call(tokenA, 'PATCH', `/v1/cases/${bCaseId}`, { status: 'closed' })).status).toBe(404);
    expect((await call(tokenA, 'POST', `/v1/cases/${bCaseId}/notes`, { body: 'x' })).status).toBe(404);
    const listed = await get(tokenA, '/v1/cases');
    ownOrClientError(listed, 'case list');
    const linkAlerts = await call(tokenA, 'POST', '/v1/cases', { title: 'steal', alert_ids: [b.alertIds[0]] });
    const linkIncidents = await call(tokenA, 'POST', '/v1/cases', { title: 'steal', incident_ids: [b.incidentIds[0]] });
    expect([linkAlerts.status, linkIncidents.status]).toEqual([400, 400]);
    // B's case is untouched by A's attempts.
    expect((await get(tokenB, `/v1/cases/${bCaseId}`)).body['status']).toBe('open');
  });

  it('keeps injection strings in free text and filters inside the tenant', async () => {
    const injections = [
      '*', B, b.marker, `tenant_id:${B}`, `tenant_id:*`, '" OR tenant_id:* "', '{"match_all":{}}', '{"query":{"match_all":{}}}', ')(', '\\', '/.*/', 'a~2', '"', '*:*',
      `${b.marker} | *`, '_index:vigil-*', '{"script":{"source":"1"}}', `only-${b.marker}`, '%00', '\u0000', "'; DROP TABLE incidents; --",
    ];
    for (const q of injections) ownOrClientError(await get(tokenA, `/v1/alerts?${qs({ q })}`), `q=${q}`);
    const filters: Array<Record<string, string | string[]>> = [
      { host: `only-${b.marker}` }, { host: '*' }, { host: B }, { label: `owner:${b.marker}` }, { label: `tenant_id:${B}` }, { label: 'owner:*' }, { label: '__proto__:x' },
      { rule_id: '*' }, { ip: '0.0.0.0/0' }, { src_ip: '::/0' }, { domain: `shared.example" OR "1"="1` }, { tenant_id: B }, { 'labels.owner': b.marker }, { user: ['alice', B] },
      { index: 'vigil-alerts-*' }, { sort: 'tenant_id:asc' }, { sort: 'labels.owner:asc' }, { q: 'x', script: '1' }, { incident_id: b.incidentIds[0]! }, { severity: ['high', 'critical'] },
    ];
    for (const f of filters) {
      ownOrClientError(await get(tokenA, `/v1/alerts?${qs(f)}`), `alerts ${JSON.stringify(f)}`);
      ownOrClientError(await get(tokenA, `/v1/alerts/aggregations?${qs({ ...f, from: String(from), to: String(to) })}`), `aggs ${JSON.stringify(f)}`);
    }
    for (const f of [{ assignee: `analyst-${b.marker}` }, { rule_id: 'look-alike-correlation' }, { status: 'open' }, { tenant_id: B }, { sort: 'tenant_id:asc' }] as Array<Record<string, string>>) {
      ownOrClientError(await get(tokenA, `/v1/incidents?${qs(f)}`), `incidents ${JSON.stringify(f)}`);
    }
    // Look-alike filters find A's own look-alikes: the filters work, they just stop at the tenant.
    const hosts = await get(tokenA, `/v1/alerts?${qs({ host: 'host-1', size: '100' })}`);
    expect(hosts.body.items!.length).toBe(COUNT / 2 - (COUNT % 2));
    const assigned = await get(tokenA, `/v1/incidents?${qs({ assignee: `analyst-${a.marker}` })}`);
    expect(assigned.body.items!.map((i) => i['id'])).toEqual([a.incidentIds[0]]);
  });

  it('never aggregates on tenant_id and counts only its own alerts', async () => {
    for (const f of [{ agg: 'tenant_id' }, { agg: 'global' }, { agg: 'top_labels', label_key: 'tenant_id"' }, { top: '1000' }, { field: 'tenant_id' }] as Array<Record<string, string>>) {
      const answer = await get(tokenA, `/v1/alerts/aggregations?${qs(f)}`);
      expect(answer.status, JSON.stringify(f)).toBe(400);
    }
    const answer = await get(tokenA, `/v1/alerts/aggregations?${qs({ from: String(from), to: String(to), agg: ['top_hosts', 'top_rules', 'severity_over_time', 'top_labels'], label_key: 'owner', top: '50' })}`);
    ownOrClientError(answer, 'aggregations');
    expect(answer.body['total']).toBe(COUNT);
    const aggs = answer.body['aggregations'] as Record<string, Array<{ key: string; count: number }>>;
    expect(aggs['top_labels']).toEqual([{ key: a.marker, count: COUNT }]);
    expect(aggs['top_hosts']!.map((h) => h.key)).toContain(`only-${a.marker}`);
    expect(aggs['top_rules']!.reduce((n, r) => n + r.count, 0)).toBe(COUNT);
  });
});
