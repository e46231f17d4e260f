import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@vigil/postgres';
import { createSearchClient } from '@vigil/search';
import { seedTenant, type Seeded } from '../support/query-seed.ts';
import { privateDay } from '../support/private-day.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

// The analyst workflow on incidents (each change one revision, one outbox row, closed_at
// for the correlation stage's reopen rule, a timeline entry) and cases with their trail.

const PORT = 18022;
const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-query-triage');
const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
const T = uniqueTenant('triage');
let api: ServiceProcess;
let seeded: Seeded;
let analyst: string;
let reader: string;

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const outboxRows = async (id: string) =>
  (await pool.query<{ payload: { revision: number; status: string; assignee: string | null } }>("SELECT payload FROM outbox WHERE topic = 'correlations.v1' AND message_key = $1 ORDER BY id", [`${T}|${id}`])).rows.map((r) => r.payload);

beforeAll(async () => {
  seeded = await seedTenant(search, pool, T, privateDay(), 12, `mark${randomUUID().slice(0, 8)}`);
  analyst = await tokenFor(T, 'analyst');
  reader = await tokenFor(T, 'sensor');
  api = await startService('query-api', { PORT: String(PORT), METRICS_PORT: '19522' });
});

afterAll(async () => {
  await api?.stop();
  await pool.end();
  await search.close();
});

describe('incident workflow', () => {
  it('assigns, acknowledges, closes with a reason, reopens: one revision and one outbox row each', async () => {
    const id = seeded.incidentIds[1]!;
    expect(await outboxRows(id)).toHaveLength(1);
    expect((await call(analyst, 'POST', `/v1/incidents/${id}/assign`, { assignee: 'bob' })).body).toMatchObject({ assignee: 'bob', revision: 2 });
    expect((await call(analyst, 'POST', `/v1/incidents/${id}/acknowledge`, {})).body).toMatchObject({ status: 'acknowledged', revision: 3 });
    expect((await call(analyst, 'POST', `/v1/incidents/${id}/acknowledge`, {})).status).toBe(409);
    expect((await call(analyst, 'POST', `/v1/incidents/${id}/close`, {})).status).toBe(400);
    expect((await call(analyst, 'POST', `/v1/incidents/${id}/close`, { reason: 'benign: pentest' })).body).toMatchObject({ status: 'closed', revision: 4 });
    const closed = await pool.query<{ closed_at: Date | null; close_reason: string }>('SELECT closed_at, close_reason FROM incidents WHERE id = $1', [id]);
    expect(closed.rows[0]!.closed_at).toBeInstanceOf(Date);
    expect(closed.rows[0]!.close_reason).toBe('benign: pentest');
    expect((await call(analyst, 'POST', `/v1/incidents/${id}/reopen`, {})).body).toMatchObject({ status: 'open', revision: 5 });
    expect((await pool.query('SELECT closed_at FROM incidents WHERE id = $1', [id])).rows[0].closed_at).toBeNull();

    const published = await outboxRows(id);
    expect(published.map((p) => [p.revision, p.status, p.assignee])).toEqual([[1, 'open', null], [2, 'open', 'bob'], [3, 'acknowledged', 'bob'], [4, 'closed', 'bob'], [5, 'open', 'bob']]);
    const audit = await pool.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND detail->>'incident_id' = $2 ORDER BY id", [T, id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['incident.assign', 'incident.acknowledge', 'incident.close', 'incident.reopen']);

    const detail = await call(analyst, 'GET', `/v1/incidents/${id}?members_size=4`);
    expect(detail.body).toMatchObject({ status: 'open', assignee: 'bob', revision: 5, closed_at: null, rule: { key: 'look-alike-correlation', version: 1 } });
    expect((detail.body['timeline'] as Array<{ decision: string }>).map((e) => e.decision)).toEqual(['assigned', 'acknowledged', 'closed', 'reopened']);
    const members: string[] = [];
    let page = detail.body['members'] as { items: Array<{ alert_id: string }>; next_cursor?: string };
    members.push(...page.items.map((m) => m.alert_id));
    while (page.next_cursor) {
      page = (await call(analyst, 'GET', `/v1/incidents/${id}?members_size=4&members_cursor=${page.next_cursor}`)).body['members'] as typeof page;
      members.push(...page.items.map((m) => m.alert_id));
    }
    expect(members).toHaveLength(6);
    expect(new Set(members).size).toBe(6);
  });

  it('needs incidents:write', async () => {
    expect((await call(reader, 'POST', `/v1/incidents/${seeded.incidentIds[0]}/acknowledge`, {})).status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents every analyst route with examples', async () => {
    const doc = (await (await fetch(`http://127.0.0.1:${PORT}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    for (const path of ['/v1/alerts', '/v1/alerts/aggregations', '/v1/alerts/{id}', '/v1/incidents', '/v1/incidents/{id}', '/v1/incidents/{id}/close', '/v1/cases', '/v1/cases/{id}', '/v1/cases/{id}/notes']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/v1/cases']!['post'])).toContain('"example"');
  });
});

describe('cases', () => {
  it('creates from alerts and incidents, changes status and assignee, adds notes and observables, each in the trail', async () => {
    const created = await call(analyst, 'POST', '/v1/cases', { title: 'Look-alike burst', alert_ids: seeded.alertIds.slice(0, 2), incident_ids: [seeded.incidentIds[0]] });
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    expect(created.body).toMatchObject({ title: 'Look-alike burst', status: 'open', alert_ids: expect.arrayContaining(seeded.alertIds.slice(0, 2)), incident_ids: [seeded.incidentIds[0]] });
    await call(analyst, 'PATCH', `/v1/cases/${id}`, { status: 'in_progress', assignee: 'carol' });
    await call(analyst, 'POST', `/v1/cases/${id}/notes`, { body: 'blocked at the edge' });
    await call(analyst, 'POST', `/v1/cases/${id}/observables`, { kind: 'ip', value: '10.0.0.1' });
    const got = await call(analyst, 'GET', `/v1/cases/${id}`);
    expect(got.body).toMatchObject({ status: 'in_progress', assignee: 'carol', notes: [{ body: 'blocked at the edge' }], observables: [{ kind: 'ip', value: '10.0.0.1' }] });
    expect((got.body['events'] as Array<{ action: string }>).map((e) => e.action)).toEqual(['created', 'linked', 'updated', 'noted', 'observable_added']);
    expect((await call(analyst, 'PATCH', `/v1/cases/${id}`, { status: 'gone' })).status).toBe(400);
    expect((await call(reader, 'POST', '/v1/cases', { title: 'x' })).status).toBe(403);
    // The trail is insert-only for the service's database role.
    await expect(pool.query('DELETE FROM case_events WHERE case_id = $1', [id])).rejects.toThrow(/permission denied/);
    await expect(pool.query('UPDATE case_notes SET body = $2 WHERE case_id = $1', [id, 'x'])).rejects.toThrow(/permission denied/);
  });
});
