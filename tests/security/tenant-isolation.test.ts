import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@vigil/postgres';
import { createSearchClient } from '@vigil/search';
import { seedDeadLetter } from '../support/poison.ts';
import { privateDay } from '../support/private-day.ts';
import { seedTenant, type Seeded } from '../support/query-seed.ts';
import { correlationRuleYaml, startSecurityApis, type ApiAnswer, type SecurityApis } from '../support/security-apis.ts';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

/**
 * OWASP API1 (BOLA) and I2 on every object route: tenant A, holding every permission,
 * names tenant B's alerts, incidents, cases, rules (and their versions, diff, export,
 * settings), simulation jobs, late alerts and dead letters. Each answer must be exactly what a
 * never-existing id gets (404, same text once the id is swapped), never a 403 or any
 * detail of B; lists, exports and backups of A hold nothing of B; and nothing A sends
 * changes B's objects.
 */

const pool = createPool(stackEnv['DATABASE_URL']!, 'vigil-test-security-isolation');
const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
const A = uniqueTenant('sec-a');
const B = uniqueTenant('sec-b');
const ruleKey = `secret-rule-${randomUUID().slice(0, 8)}`;
let apis: SecurityApis;
let a: Seeded;
let b: Seeded;
let adminA: string;
let adminB: string;
let bCase: string;
let bJob: string;

const sigma = (title: string) => correlationRuleYaml(ruleKey, title);

const queryAs = (token: string, method: string, path: string, body?: unknown, contentType?: string) =>
  apis.query.call(method, path, { token, ...(body !== undefined ? { body } : {}), ...(contentType ? { contentType } : {}) });

function leaksNothingOfB(answer: ApiAnswer, what: string): void {
  for (const secret of [B, b.marker, bCase, bJob, `B-${b.marker}`]) expect(answer.text, what).not.toContain(secret);
}

/** B's object and an id that never existed must be indistinguishable to A. */
async function sameAsMissing(method: string, template: string, bId: string, body?: unknown, contentType?: string): Promise<void> {
  // Rule ids are tenant-chosen keys; every other id is a UUID.
  const probe = template.includes('/rules/') && !template.includes('simulations') ? `absent-${randomUUID().slice(0, 8)}` : randomUUID();
  const theirs = await queryAs(adminA, method, template.replace('{id}', bId), body, contentType);
  const nobody = await queryAs(adminA, method, template.replace('{id}', probe), body, contentType);
  const what = `${method} ${template}`;
  expect(theirs.status, what).toBe(404);
  expect(theirs.body.error?.code, what).toBe('NOT_FOUND');
  expect(theirs.text.replaceAll(bId, 'X'), what).toBe(nobody.text.replaceAll(probe, 'X'));
  // The id A sent is echoed back like any id; nothing else of B may be.
  leaksNothingOfB({ ...theirs, text: theirs.text.replaceAll(bId, 'X') }, what);
}

beforeAll(async () => {
  const day = privateDay();
  const suffix = randomUUID().slice(0, 8);
  [a, b] = await Promise.all([seedTenant(search, pool, A, day, 4, `ma${suffix}`), seedTenant(search, pool, B, day, 4, `mb${suffix}`)]);
  [adminA, adminB] = await Promise.all([tokenFor(A, 'admin'), tokenFor(B, 'admin')]);
  apis = await startSecurityApis();
  // B's objects: a case, a rule with two versions and settings, a simulation job, a late alert.
  const created = await queryAs(adminB, 'POST', '/v1/cases', { title: `B-${b.marker}`, alert_ids: b.alertIds.slice(0, 1) });
  expect(created.status).toBe(201);
  bCase = String(created.body['id']);
  expect((await queryAs(adminB, 'POST', '/v1/rules', sigma(`B-${b.marker}`), 'application/yaml')).status).toBe(201);
  expect((await queryAs(adminB, 'PUT', `/v1/rules/${ruleKey}`, sigma(`B-${b.marker} v2`), 'application/yaml')).status).toBe(200);
  const job = await queryAs(adminB, 'POST', '/v1/rules/simulate', { rule_id: ruleKey, from: day, to: day + 3_600_000 });
  expect(job.status).toBe(202);
  bJob = String(job.body['id']);
  await pool.query('INSERT INTO late_alerts (tenant_id, alert_id, rule_key, rule_version, event_time, watermark) VALUES ($1, $2, $3, 1, now(), now())', [B, b.alertIds[0], ruleKey]);
});

afterAll(async () => {
  await apis?.stop();
  await pool.end();
  await search.close();
});

describe('tenant isolation on every object route (BOLA)', () => {
  it("alerts and incidents of B are 404 to A, read or written, exactly like ids that never existed", async () => {
    await sameAsMissing('GET', '/v1/alerts/{id}', b.alertIds[0]!);
    for (const id of b.incidentIds) {
      await sameAsMissing('GET', '/v1/incidents/{id}', id);
      await sameAsMissing('POST', '/v1/incidents/{id}/assign', id, { assignee: 'mallory' });
      await sameAsMissing('POST', '/v1/incidents/{id}/acknowledge', id, {});
      await sameAsMissing('POST', '/v1/incidents/{id}/close', id, { reason: 'mine now' });
      await sameAsMissing('POST', '/v1/incidents/{id}/reopen', id, {});
    }
    const own = await queryAs(adminB, 'GET', `/v1/incidents/${b.incidentIds[1]}`);
    expect([own.body['status'], own.body['assignee']]).toEqual(['open', null]);
  });

  it("B's case is 404 to A on every case route, and stays as B left it", async () => {
    await sameAsMissing('GET', '/v1/cases/{id}', bCase);
    await sameAsMissing('PATCH', '/v1/cases/{id}', bCase, { status: 'closed' });
    await sameAsMissing('POST', '/v1/cases/{id}/notes', bCase, { body: 'note by A' });
    await sameAsMissing('POST', '/v1/cases/{id}/observables', bCase, { kind: 'ip', value: '203.0.113.9' });
    await sameAsMissing('POST', '/v1/cases/{id}/links', bCase, { alert_ids: a.alertIds.slice(0, 1) });
    const theirs = await queryAs(adminB, 'GET', `/v1/cases/${bCase}`);
    expect(theirs.body['status']).toBe('open');
    expect(theirs.text).not.toContain('note by A');
    expect(theirs.text).not.toContain(a.alertIds[0]);
  });

  it("B's rule, its versions, diff, export, settings, enable/disable, change and delete are 404 to A", async () => {
    await sameAsMissing('GET', '/v1/rules/{id}', ruleKey);
    await sameAsMissing('GET', '/v1/rules/{id}/versions', ruleKey);
    await sameAsMissing('GET', '/v1/rules/{id}/diff?from=1&to=2', ruleKey);
    await sameAsMissing('GET', '/v1/rules/export?id={id}', ruleKey);
    await sameAsMissing('PUT', '/v1/rules/{id}/settings', ruleKey, { reopen_ms: 0 });
    await sameAsMissing('POST', '/v1/rules/{id}/disable', ruleKey, {});
    await sameAsMissing('POST', '/v1/rules/{id}/enable', ruleKey, {});
    await sameAsMissing('DELETE', '/v1/rules/{id}', ruleKey);
    await sameAsMissing('PUT', '/v1/rules/{id}', ruleKey, { yaml: sigma('taken over by A') });
    const simulate = await queryAs(adminA, 'POST', '/v1/rules/simulate', { rule_id: ruleKey, from: 0, to: 3_600_000 });
    expect(simulate.status).toBe(404);
    const theirs = await queryAs(adminB, 'GET', `/v1/rules/${ruleKey}/versions`);
    expect((theirs.body.items ?? []).map((v) => v['version'])).toEqual([2, 1]);
    expect(theirs.text).not.toContain('taken over by A');
  });

  it("B's simulation job is 404 to A for status, result and cancel, and keeps running for B", async () => {
    await sameAsMissing('GET', '/v1/rules/simulations/{id}', bJob);
    await sameAsMissing('GET', '/v1/rules/simulations/{id}/result', bJob);
    await sameAsMissing('POST', '/v1/rules/simulations/{id}/cancel', bJob, {});
    const theirs = await queryAs(adminB, 'GET', `/v1/rules/simulations/${bJob}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body['error']).toBeNull();
  });

  it("A's lists, audit trail, late alerts, export and backup hold nothing of B", async () => {
    for (const path of ['/v1/alerts?size=100', '/v1/incidents?size=100', '/v1/cases', '/v1/rules', '/v1/rules/audit', '/v1/rules/export', '/v1/rules/backup', '/v1/incidents/late-alerts', `/v1/incidents/late-alerts?rule_id=${ruleKey}`]) {
      const answer = await queryAs(adminA, 'GET', path);
      expect(answer.status, path).toBe(200);
      leaksNothingOfB(answer, path);
      expect(answer.text, path).not.toContain(ruleKey);
    }
    const late = await queryAs(adminB, 'GET', '/v1/incidents/late-alerts');
    expect((late.body.items ?? []).map((i) => i['alert_id'])).toEqual([b.alertIds[0]]);
  });

  it("restoring B's backup writes into A's tenant only: the target never comes from the file", async () => {
    const backup = await queryAs(adminB, 'GET', '/v1/rules/backup');
    expect(backup.status).toBe(200);
    const restored = await queryAs(adminA, 'POST', '/v1/rules/restore', backup.body);
    expect(restored.status).toBe(200);
    expect((await queryAs(adminA, 'GET', `/v1/rules/${ruleKey}`)).status).toBe(200);
    const theirs = await queryAs(adminB, 'GET', `/v1/rules/${ruleKey}/versions`);
    expect((theirs.body.items ?? []).map((v) => v['version'])).toEqual([2, 1]);
    const audit = await queryAs(adminB, 'GET', '/v1/rules/audit');
    expect(audit.text).not.toContain(A);
  });

  it("B's dead letter is 404 to A and missing from A's dead-letter list; B's admin sees it", async () => {
    await seedDeadLetter(B);
    // The API reads the DLQ topics at most every few seconds: wait until B's own view has the letter.
    const listB = await waitFor(async () => {
      const answer = await queryAs(adminB, 'GET', '/v1/dead-letters');
      return (answer.body.items ?? []).length > 0 ? answer : undefined;
    }, 60_000, 1000);
    const bLetter = String(listB.body.items![0]!['id']);
    expect(listB.body.items![0]!['key']).toBe(`${B}|poison-domain`);
    await sameAsMissing('GET', '/v1/dead-letters/{id}', bLetter);
    const listA = await queryAs(adminA, 'GET', '/v1/dead-letters');
    expect(listA.status).toBe(200);
    leaksNothingOfB(listA, 'GET /v1/dead-letters');
    expect(listA.text).not.toContain(bLetter);
  });

  it('a sensor cannot post into another tenant: a tenant field in the body is refused, never honoured', async () => {
    const sensorA = await tokenFor(A, 'sensor');
    const answer = await apis.ingest.call('POST', '/v1/alerts', { token: sensorA, body: { tenant_id: B, rule: { id: 'x', name: 'x' }, severity: 'low', event_time: new Date().toISOString(), observables: { host: 'h' } } });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toMatch(/^ALERT_/);
  });
});
