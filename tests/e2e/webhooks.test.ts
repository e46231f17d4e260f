import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '@vigil/query-api';
import { INGEST_PORT, privatePipelinePlan, QUERY_PORT } from '../support/pipeline.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';
import { waitFor } from '../support/wait.ts';

const RULE = `
title: Repeated SSH failures (webhook e2e)
id: e2e-hook-ssh-failures
level: high
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition:
    gte: 3
`;

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

const received: Received[] = [];
/** How many times each path has answered 500 so far (the flaky one fails once). */
const failures = new Map<string, number>();
let receiver: Server;
let receiverUrl: string;
const services: ServiceProcess[] = [];
const queryUrl = `http://127.0.0.1:${QUERY_PORT}`;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const failed = failures.get(path) ?? 0;
      const fail = path.startsWith('/down') || (path.startsWith('/flaky') && failed < 1);
      if (fail) failures.set(path, failed + 1);
      res.writeHead(fail ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // The receiver is on loopback, so the operator flag is on; quick retries keep the test short.
  const overrides: Record<string, string> = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '300', WEBHOOK_POLL_MS: '200' };
  try {
    for (const [name, env] of await privatePipelinePlan()) services.push(await startService(name, name === 'query-api' ? { ...env, ...overrides } : env));
  } catch (err) {
    await Promise.all(services.map((s) => s.stop()));
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await new Promise((resolve) => receiver?.close(resolve));
});

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${queryUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const failedLogin = (minutesAgo: number, user: string) => ({
  rule: { id: 'ssh-failed-login', name: 'SSH failed login' }, severity: 'medium', event_time: ago(minutesAgo), observables: { src_ip: '198.51.100.77', user, host: 'bastion-1' },
});

describe('incident webhooks end to end', () => {
  it('delivers a signed notification when an incident opens, retries after a 500, and ends dead after persistent failure; other tenants see none of it', async () => {
    const tenant = uniqueTenant('e2e-hook');
    const other = uniqueTenant('e2e-hook-other');
    const [engineer, otherEngineer, analyst, sensor] = await Promise.all([tokenFor(tenant, 'engineer'), tokenFor(other, 'engineer'), tokenFor(tenant, 'analyst'), tokenFor(tenant, 'sensor')]);

    // Registration: SSRF refusals even with the operator flag; analysts may not manage webhooks.
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'file:///etc/passwd', `http://user:pw@127.0.0.1:1/`]) {
      const refused = await call(engineer, 'POST', '/v1/webhooks', { url });
      expect(refused.status, url).toBe(422);
      expect((refused.body['error'] as { code: string }).code).toBe('WEBHOOK_URL_REFUSED');
    }
    expect((await call(analyst, 'POST', '/v1/webhooks', { url: `${receiverUrl}/ok` })).status).toBe(403);

    const create = async (path: string, format = 'generic') => {
      const r = await call(engineer, 'POST', '/v1/webhooks', { url: `${receiverUrl}${path}`, format, events: ['opened', 'reopened'] });
      expect(r.status).toBe(201);
      expect(String(r.body['secret'])).toMatch(/^whsec_/);
      return { id: String(r.body['id']), secret: String(r.body['secret']) };
    };
    const ok = await create(`/ok-${tenant}`);
    const flaky = await create(`/flaky-${tenant}`, 'slack');
    const down = await create(`/down-${tenant}`);

    // Another tenant can neither see nor change them: 404, the same as a missing id.
    expect((await call(otherEngineer, 'GET', '/v1/webhooks')).body['items']).toEqual([]);
    for (const [method, path, body] of [['GET', `/v1/webhooks/${ok.id}`], ['PATCH', `/v1/webhooks/${ok.id}`, { enabled: false }], ['DELETE', `/v1/webhooks/${ok.id}`], ['POST', `/v1/webhooks/${ok.id}/rotate-secret`], ['GET', `/v1/webhooks/${ok.id}/deliveries`]] as const) {
      expect((await call(otherEngineer, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const listed = await call(engineer, 'GET', '/v1/webhooks');
    expect((listed.body['items'] as Array<{ id: string; secret?: string }>).map((w) => w.id).sort()).toEqual([ok.id, flaky.id, down.id].sort());
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    // An incident opens: three failed logins from one source within five minutes.
    const imported = await fetch(`${queryUrl}/v1/rules/import`, { method: 'POST', headers: { authorization: `Bearer ${engineer}`, 'content-type': 'application/yaml' }, body: RULE });
    expect(imported.status).toBe(200);
    for (const [m, user] of [[4, 'admin'], [3, 'oracle'], [2, 'test']] as const) {
      const r = await fetch(`http://127.0.0.1:${INGEST_PORT}/v1/alerts`, { method: 'POST', headers: { authorization: `Bearer ${sensor}`, 'content-type': 'application/json' }, body: JSON.stringify(failedLogin(m, user)) });
      expect(r.status).toBe(202);
    }

    const atOk = await waitFor(async () => { const r = received.filter((x) => x.path === `/ok-${tenant}`); return r.length > 0 ? r : undefined; }, 90_000);
    expect(atOk).toHaveLength(1);
    const first = atOk[0]!;
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature(ok.secret, { timestamp: first.headers['x-vigil-timestamp'] as string, signature: first.headers['x-vigil-signature'] as string }, first.body, now)).toBe(true);
    // The same body under another webhook's secret, or replayed 10 minutes later, does not verify.
    expect(verifySignature(down.secret, { timestamp: first.headers['x-vigil-timestamp'] as string, signature: first.headers['x-vigil-signature'] as string }, first.body, now)).toBe(false);
    expect(verifySignature(ok.secret, { timestamp: first.headers['x-vigil-timestamp'] as string, signature: first.headers['x-vigil-signature'] as string }, first.body, now + 600)).toBe(false);
    const payload = JSON.parse(first.body) as { type: string; delivery_id: string; incident: Record<string, unknown> };
    expect(payload).toMatchObject({ type: 'incident.opened', incident: { tenant_id: tenant, rule_id: 'e2e-hook-ssh-failures', status: 'open', severity: 'high', group_values: { src_ip: '198.51.100.77' } } });
    expect(first.headers['x-vigil-delivery']).toBe(payload.delivery_id);
    // The notification leaves with the Postgres commit; the incident list (OpenSearch) follows once indexed.
    const listedIncident = await waitFor(async () => ((await call(analyst, 'GET', '/v1/incidents')).body['items'] as Array<{ id: string }>).find((i) => i.id === payload.incident['id']), 60_000);
    expect(listedIncident.id).toBe(payload.incident['id']);

    // The flaky receiver answered 500 once: a second attempt with the same delivery id succeeded.
    const atFlaky = await waitFor(async () => { const r = received.filter((x) => x.path === `/flaky-${tenant}`); return r.length >= 2 ? r : undefined; }, 30_000);
    expect(new Set(atFlaky.map((r) => r.headers['x-vigil-delivery'])).size).toBe(1);
    expect(JSON.parse(atFlaky[1]!.body)).toMatchObject({ text: expect.stringContaining('Incident opened') });
    const flakyDeliveries = await waitFor(async () => {
      const items = (await call(engineer, 'GET', `/v1/webhooks/${flaky.id}/deliveries?state=delivered`)).body['items'] as Array<{ attempts: number }>;
      return items.length > 0 ? items : undefined;
    }, 30_000);
    expect(flakyDeliveries).toMatchObject([{ state: 'delivered', event: 'opened', attempts: 2 }]);

    // The receiver that always fails: three attempts (WEBHOOK_ATTEMPTS), then dead and listed.
    const dead = await waitFor(async () => {
      const items = (await call(engineer, 'GET', `/v1/webhooks/${down.id}/deliveries?state=dead`)).body['items'] as Array<{ attempts: number }>;
      return items.length > 0 ? items : undefined;
    }, 30_000);
    expect(dead).toMatchObject([{ state: 'dead', event: 'opened', attempts: 3, error: expect.stringContaining('HTTP 500'), incident_id: payload.incident['id'] }]);
    expect(received.filter((x) => x.path === `/down-${tenant}`)).toHaveLength(3);
    expect((await call(engineer, 'GET', `/v1/webhooks/${down.id}/deliveries?state=pending`)).body['items']).toEqual([]);

    // Closing sends nothing (not subscribed to it); reopening notifies again.
    const incidentId = String(payload.incident['id']);
    expect((await call(analyst, 'POST', `/v1/incidents/${incidentId}/close`, { reason: 'test' })).status).toBe(200);
    expect((await call(analyst, 'POST', `/v1/incidents/${incidentId}/reopen`, {})).status).toBe(200);
    const reopened = await waitFor(async () => received.find((x) => x.path === `/ok-${tenant}` && x.body.includes('incident.reopened')), 30_000);
    expect(JSON.parse(reopened.body)).toMatchObject({ type: 'incident.reopened', incident: { id: incidentId, status: 'open' } });
    expect(received.filter((x) => x.path === `/ok-${tenant}`)).toHaveLength(2);

    // Deleted: gone from the list, 404 afterwards.
    expect((await call(engineer, 'DELETE', `/v1/webhooks/${ok.id}`)).status).toBe(204);
    expect((await call(engineer, 'GET', `/v1/webhooks/${ok.id}`)).status).toBe(404);
  }, 180_000);
});
