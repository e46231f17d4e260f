import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER } from '@vigil/auth';
import { freePort } from '../support/ports.ts';
import { apiClient, type ApiClient } from '../support/security-apis.ts';
import { startService, type ServiceProcess } from '../support/services.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * OWASP API4 on the query API: a per-tenant request rate, counted in Redis after the token is
 * verified. The real query-api process runs with QUERY_TENANT_RATE_LIMIT_PER_MINUTE=3; the
 * window is a minute from a tenant's first request, longer than this file takes, so each
 * count below is exact. Fresh tenants each run: earlier runs' counters cannot interfere.
 */

const LIMIT = 3;
let query: ApiClient;
let service: ServiceProcess;

beforeAll(async () => {
  const [port, ops] = await Promise.all([freePort(), freePort()]);
  service = await startService('query-api', { PORT: String(port), METRICS_PORT: String(ops), CURSOR_KEY: `rate-${randomUUID()}`, QUERY_TENANT_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  query = apiClient(`http://127.0.0.1:${port}`);
});

afterAll(async () => {
  await service?.stop();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token naming `tenant` that no key signed: it must never reach (or spend) that tenant's budget. */
const unsigned = (tenant: string) => {
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, sub: 'x', iat: now, exp: now + 600, tenant, roles: ['admin'] })}.`;
};

describe('query API per-tenant rate limit', () => {
  it('tenant A past its limit gets 429 RATE_LIMITED with Retry-After on every route family; tenant B is still served', async () => {
    const [noisy, quiet] = [uniqueTenant('qrl-noisy'), uniqueTenant('qrl-quiet')];
    const [a, b] = await Promise.all([tokenFor(noisy, 'admin'), tokenFor(quiet, 'admin')]);

    const served: number[] = [];
    for (let i = 0; i < LIMIT; i++) served.push((await query.call('GET', '/v1/cases?size=1', { token: a })).status);
    expect(served).toEqual(Array.from({ length: LIMIT }, () => 200));

    // Another permission's route (rules) shares the same tenant budget.
    const refused = await query.call('GET', '/v1/rules', { token: a });
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('RATE_LIMITED');
    const retry = await fetch(`${query.url}/v1/cases?size=1`, { headers: { authorization: `Bearer ${a}` } });
    expect(retry.status).toBe(429);
    const retryAfter = Number(retry.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    expect((await query.call('GET', '/v1/cases?size=1', { token: b })).status).toBe(200);
  });

  it('only a verified token spends a budget: forged tokens naming a tenant get 401 and leave its requests intact', async () => {
    const victim = uniqueTenant('qrl-victim');
    for (let i = 0; i < LIMIT + 2; i++) {
      const forged = await query.call('GET', '/v1/cases?size=1', { token: unsigned(victim) });
      expect(forged.status).toBe(401);
    }
    const token = await tokenFor(victim, 'admin');
    const served: number[] = [];
    for (let i = 0; i < LIMIT; i++) served.push((await query.call('GET', '/v1/cases?size=1', { token })).status);
    expect(served).toEqual(Array.from({ length: LIMIT }, () => 200));
  });

  it('health, readiness and the OpenAPI document are never counted', async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      for (const path of ['/healthz', '/readyz', '/openapi.json']) expect((await query.call('GET', path)).status, path).toBe(200);
    }
  });
});
