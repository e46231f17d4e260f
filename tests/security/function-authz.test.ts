import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf, roleNames, type Permission, type Role } from '@vigil/auth';
import { fillPath, startSecurityApis, type ApiClient, type SecurityApis } from '../support/security-apis.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * OWASP API5 (broken function-level authorization). The route list comes from each API's
 * own OpenAPI document, so a new route cannot slip past: it fails here until it is given
 * its permission below. Every role without that permission gets 403 AUTH_FORBIDDEN, no
 * token gets 401, and a role with it gets past authorization (any other answer).
 */

const queryRoutes: Record<string, Permission> = {
  'GET /v1/alerts': 'alerts:read',
  'GET /v1/alerts/aggregations': 'alerts:read',
  'GET /v1/alerts/{id}': 'alerts:read',
  'GET /v1/incidents': 'incidents:read',
  'GET /v1/incidents/{id}': 'incidents:read',
  'GET /v1/incidents/late-alerts': 'incidents:read',
  'POST /v1/incidents/{id}/assign': 'incidents:write',
  'POST /v1/incidents/{id}/acknowledge': 'incidents:write',
  'POST /v1/incidents/{id}/close': 'incidents:write',
  'POST /v1/incidents/{id}/reopen': 'incidents:write',
  'GET /v1/cases': 'alerts:read',
  'GET /v1/cases/{id}': 'alerts:read',
  'POST /v1/cases': 'cases:write',
  'PATCH /v1/cases/{id}': 'cases:write',
  'POST /v1/cases/{id}/notes': 'cases:write',
  'POST /v1/cases/{id}/observables': 'cases:write',
  'POST /v1/cases/{id}/links': 'cases:write',
  'GET /v1/rules': 'rules:read',
  'GET /v1/rules/{id}': 'rules:read',
  'GET /v1/rules/{id}/versions': 'rules:read',
  'GET /v1/rules/{id}/diff': 'rules:read',
  'GET /v1/rules/audit': 'rules:read',
  'GET /v1/rules/export': 'rules:read',
  'POST /v1/rules': 'rules:write',
  'PUT /v1/rules/{id}': 'rules:write',
  'DELETE /v1/rules/{id}': 'rules:write',
  'POST /v1/rules/import': 'rules:write',
  'POST /v1/rules/{id}/enable': 'rules:write',
  'POST /v1/rules/{id}/disable': 'rules:write',
  'PUT /v1/rules/{id}/settings': 'rules:write',
  'POST /v1/rules/simulate': 'rules:write',
  'GET /v1/rules/simulations/{jobId}': 'rules:write',
  'GET /v1/rules/simulations/{jobId}/result': 'rules:write',
  'POST /v1/rules/simulations/{jobId}/cancel': 'rules:write',
  'GET /v1/rules/backup': 'admin:rules',
  'POST /v1/rules/restore': 'admin:rules',
  'GET /v1/dead-letters': 'dead-letters:read',
  'GET /v1/dead-letters/{id}': 'dead-letters:read',
};

const ingestRoutes: Record<string, Permission> = {
  'POST /v1/alerts': 'alerts:write',
  'POST /v1/alerts/batch': 'alerts:write',
};

/** Notification endpoints (being built) are engineer territory per docs/auth.md. */
function permissionOf(table: Record<string, Permission>, route: string): Permission | undefined {
  return table[route] ?? (/^\w+ \/v1\/webhooks\b/.test(route) ? 'webhooks:write' : undefined);
}

const tenant = uniqueTenant('fn-authz');
let apis: SecurityApis;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  apis = await startSecurityApis();
  for (const role of roleNames) tokens[role] = await tokenFor(tenant, role);
});

afterAll(async () => {
  await apis?.stop();
});

async function documentedRoutes(api: ApiClient): Promise<string[]> {
  const doc = await api.call('GET', '/openapi.json');
  expect(doc.status).toBe(200);
  const paths = doc.body['paths'] as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}

/** A body that is well-formed JSON but changes nothing: authorization must decide first. */
const harmless = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : {});

async function checkRoutes(api: ApiClient, table: Record<string, Permission>): Promise<void> {
  const routes = await documentedRoutes(api);
  const unclassified = routes.filter((r) => permissionOf(table, r) === undefined);
  expect(unclassified, 'give every new route its permission in this file').toEqual([]);
  expect(routes.length).toBeGreaterThanOrEqual(Object.keys(table).length);
  for (const route of routes) {
    const [method, template] = route.split(' ') as [string, string];
    const path = fillPath(template, randomUUID());
    const needed = permissionOf(table, route)!;
    const anonymous = await api.call(method, path, { body: harmless(method) });
    expect(anonymous.status, `${route} without a token`).toBe(401);
    if (harmless(method) !== undefined) {
      // The token is checked before the body is read: broken JSON from a stranger is never parsed (401, not 400).
      const unparsed = await fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: '{"not json' });
      expect(unparsed.status, `${route} without a token, with a body that does not parse`).toBe(401);
    }
    for (const role of roleNames) {
      const answer = await api.call(method, path, { token: tokens[role], body: harmless(method) });
      if (permissionsOf(role).includes(needed)) {
        expect([401, 403], `${route} as ${role} (has ${needed})`).not.toContain(answer.status);
        expect(answer.status, `${route} as ${role}`).toBeLessThan(500);
      } else {
        expect(answer.status, `${route} as ${role} (lacks ${needed})`).toBe(403);
        expect(answer.body.error?.code).toBe('AUTH_FORBIDDEN');
      }
    }
  }
}

describe('function-level authorization on every documented route', () => {
  it('query API: each route refuses every role without its permission (403) and anonymous callers (401)', async () => {
    await checkRoutes(apis.query, queryRoutes);
  });

  it('ingest API: only alerts:write may post; analysts, engineers without it and anonymous callers are refused', async () => {
    await checkRoutes(apis.ingest, ingestRoutes);
  });

  it('no role but admin holds admin:rules, and sensors hold nothing but alerts:write', () => {
    // The table above is only as strong as the role bundles it is checked against.
    expect(roleNames.filter((r) => permissionsOf(r).includes('admin:rules'))).toEqual(['admin']);
    expect(roleNames.filter((r) => permissionsOf(r).includes('admin:dlq'))).toEqual(['operator']);
    expect(roleNames.filter((r) => permissionsOf(r).includes('dead-letters:read'))).toEqual(['admin']);
    expect(permissionsOf('sensor')).toEqual(['alerts:write']);
  });
});
