import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@vigil/postgres';
import { createSearchClient } from '@vigil/search';
import { intake } from '@vigil/ingest-api';
import { privateDay } from '../support/private-day.ts';
import { seedTenant, type Seeded } from '../support/query-seed.ts';
import { correlationRuleYaml, startSecurityApis, type SecurityApis } from '../support/security-apis.ts';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * OWASP API3 (broken object property level authorization, mass assignment): a client may
 * set only the properties a route documents. Server-owned properties (tenant, id,
 * revision, version, author, timestamps, status of another action) are refused with a
 * 400 naming the field, and the object is unchanged afterwards.
 */

const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-security-properties');
const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
const tenant = uniqueTenant('sec-props');
const other = uniqueTenant('sec-props-other');
const ruleKey = `props-rule-${randomUUID().slice(0, 8)}`;
let apis: SecurityApis;
let seeded: Seeded;
let admin: string;
let caseId: string;

const sigma = correlationRuleYaml;

const call = (method: string, path: string, body?: unknown, contentType?: string) =>
  apis.query.call(method, path, { token: admin, ...(body !== undefined ? { body } : {}), ...(contentType ? { contentType } : {}) });

beforeAll(async () => {
  seeded = await seedTenant(search, pool, tenant, privateDay(), 2, `mp${randomUUID().slice(0, 8)}`);
  admin = await tokenFor(tenant, 'admin');
  apis = await startSecurityApis();
  const created = await call('POST', '/v1/cases', { title: 'property test' });
  expect(created.status).toBe(201);
  caseId = String(created.body['id']);
  expect((await call('POST', '/v1/rules', sigma(ruleKey, 'v1'), 'application/yaml')).status).toBe(201);
});

afterAll(async () => {
  await apis?.stop();
  await pool.end();
  await search.close();
});

describe('property-level authorization and mass assignment', () => {
  it('a case PATCH or create cannot set tenant, id, author, timestamps or its history', async () => {
    const before = await call('GET', `/v1/cases/${caseId}`);
    for (const extra of [{ tenant_id: other }, { id: randomUUID() }, { created_by: 'mallory' }, { created_at: 0 }, { updated_at: 0 }, { notes: [] }, { revision: 99 }, { alert_ids: [] }]) {
      const patched = await call('PATCH', `/v1/cases/${caseId}`, { title: 'renamed', ...extra });
      expect(patched.status, JSON.stringify(extra)).toBe(400);
      expect(patched.body.error?.code).toBe('REQUEST_BODY_INVALID');
    }
    expect((await call('POST', '/v1/cases', { title: 'x', tenant_id: other })).status).toBe(400);
    expect((await call('POST', '/v1/cases', { title: 'x', created_by: 'mallory' })).status).toBe(400);
    const after = await call('GET', `/v1/cases/${caseId}`);
    expect(after.text).toBe(before.text);
  });

  it('an incident action carries only its own field: no tenant, revision, status or members', async () => {
    const id = seeded.incidentIds[0]!;
    const bodies: Array<[string, object]> = [
      ['assign', { assignee: 'bob', tenant_id: other }], ['assign', { assignee: 'bob', revision: 99 }], ['acknowledge', { status: 'closed' }],
      ['acknowledge', { alert_ids: [] }], ['close', { reason: 'r', severity: 'info' }], ['reopen', { assignee: 'mallory' }],
    ];
    for (const [action, body] of bodies) {
      const answer = await call('POST', `/v1/incidents/${id}/${action}`, body);
      expect(answer.status, `${action} ${JSON.stringify(body)}`).toBe(400);
    }
    const incident = await call('GET', `/v1/incidents/${id}`);
    expect([incident.body['status'], incident.body['revision']]).toEqual(['open', 1]);
  });

  it('rule settings and simulations accept only their documented fields', async () => {
    for (const extra of [{ tenant_id: other }, { version: 99 }, { enabled: false }, { key: 'other' }, { source: 'x' }]) {
      const answer = await call('PUT', `/v1/rules/${ruleKey}/settings`, { reopen_ms: 1000, ...extra });
      expect(answer.status, JSON.stringify(extra)).toBe(400);
      expect(answer.body.error?.code).toBe('RULE_SETTINGS_INVALID');
    }
    for (const extra of [{ tenant_id: other }, { requested_by: 'mallory' }, { max_alerts: 1e9 }]) {
      const answer = await call('POST', '/v1/rules/simulate', { rule_id: ruleKey, from: 0, to: 60_000, ...extra });
      expect(answer.status, JSON.stringify(extra)).toBe(400);
      expect(answer.body.error?.code).toBe('SIMULATION_INVALID');
    }
    const rule = await call('GET', `/v1/rules/${ruleKey}`);
    expect([rule.body['version'], rule.body['enabled']]).toEqual([1, true]);
  });

  it("a rule change cannot move the rule to another key: the URL's key and the document's id must agree", async () => {
    const moved = `moved-${randomUUID().slice(0, 8)}`;
    const answer = await call('PUT', `/v1/rules/${ruleKey}`, sigma(moved, 'moved'), 'application/yaml');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect((await call('GET', `/v1/rules/${moved}`)).status).toBe(404);
    expect((await call('GET', `/v1/rules/${ruleKey}`)).body['version']).toBe(1);
  });

  it('an alert body cannot set server-owned fields: tenant, received time, dedup count, score are the gateway\'s', () => {
    const now = Date.UTC(2025, 0, 1);
    const body = {
      rule: { id: 'r', name: 'r' }, severity: 'low', event_time: now - 1000, observables: { host: 'h' },
      received_time: 1, dedup_count: 999, severity_score: 100, first_seen: 1, incident_id: 'x', raw: 'forged',
    };
    const result = intake('vigil', body, { tenant, now, idempotencyKey: null, index: 0 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const alert = result.alert as unknown as Record<string, unknown>;
    expect(alert['tenant_id']).toBe(tenant);
    expect(alert['received_time']).toBe(now);
    expect(alert['dedup_count']).not.toBe(999);
    expect(alert['severity_score']).not.toBe(100);
    expect(alert['incident_id']).toBeUndefined();
    expect(intake('vigil', { ...body, tenant_id: other }, { tenant, now, idempotencyKey: null, index: 0 }).ok).toBe(false);
  });
});
