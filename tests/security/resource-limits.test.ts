import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecurityApis, type SecurityApis } from '../support/security-apis.ts';
import { uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * OWASP API4 (unrestricted resource consumption): every list has a page cap, every
 * body a byte cap, every array a length cap, every range a width cap. Each limit is
 * probed just past it (refused with a 4xx naming the problem) and at it where cheap
 * (served), so a limit that silently grew or vanished fails here.
 */

const tenant = uniqueTenant('sec-limits');
let apis: SecurityApis;
let admin: string;
let sensor: string;

beforeAll(async () => {
  apis = await startSecurityApis();
  [admin, sensor] = await Promise.all([tokenFor(tenant, 'admin'), tokenFor(tenant, 'sensor')]);
});

afterAll(async () => {
  await apis?.stop();
});

/**
 * Sends only the headers of a POST declaring `bytes` of body and returns the status the
 * server answers without reading any of it (a cap checked on Content-Length).
 */
function declaredBodyStatus(base: string, path: string, headers: Record<string, string>, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(bytes) } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

const get = (path: string) => apis.query.call('GET', path, { token: admin });

describe('page sizes', () => {
  it.each([
    ['/v1/alerts', 'size', 500],
    ['/v1/incidents', 'size', 500],
    ['/v1/cases', 'size', 200],
    ['/v1/rules/audit', 'size', 500],
    ['/v1/incidents/late-alerts', 'size', 500],
  ])('%s?%s: %i is served, one more is 400', async (path, param, max) => {
    expect((await get(`${path}?${param}=${max}`)).status).toBe(200);
    for (const size of [max + 1, 1_000_000, 0, -1]) {
      const answer = await get(`${path}?${param}=${size}`);
      expect(answer.status, `${param}=${size}`).toBe(400);
      expect(answer.body.error?.code).toMatch(/^(QUERY|REQUEST_PARAM)_INVALID$/);
    }
  });

  it("an incident's member page is capped at 200 too", async () => {
    const answer = await get(`/v1/incidents/${randomUUID()}?members_size=201`);
    expect(answer.status).toBe(400);
  });
});

describe('body and array caps', () => {
  const json = (bytes: number) => JSON.stringify({ title: 'x'.repeat(bytes) });

  it('the query API refuses a JSON body over 64 KiB with 413 before handling it', async () => {
    const answer = await apis.query.call('POST', '/v1/cases', { token: admin, body: json(70 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('REQUEST_TOO_LARGE');
  });

  it('rule import (1 MiB) and restore (8 MiB) have their own caps, checked on the declared length before reading', async () => {
    const declared = (path: string, bytes: number, contentType: string) => declaredBodyStatus(apis.query.url, path, { authorization: `Bearer ${admin}`, 'content-type': contentType }, bytes);
    expect(await declared('/v1/rules/import', 1024 * 1024 + 1, 'application/yaml')).toBe(413);
    expect(await declared('/v1/rules/restore', 8 * 1024 * 1024 + 1, 'application/json')).toBe(413);
    // Well over the API's 64 KiB default but under the import cap: read and parsed (a comment: nothing imported), not refused for size.
    const nearCap = await apis.query.call('POST', '/v1/rules/import', { token: admin, body: `# ${'x'.repeat(900 * 1024)}\n`, contentType: 'application/yaml' });
    expect(nearCap.status).toBe(200);
    expect(nearCap.body['imported']).toBe(0);
  });

  it('a case links at most 500 ids at once; a simulation covers a bounded range and a bounded draft', async () => {
    const ids = Array.from({ length: 501 }, () => randomUUID());
    expect((await apis.query.call('POST', '/v1/cases', { token: admin, body: { title: 'many', alert_ids: ids } })).status).toBe(400);
    const wide = await apis.query.call('POST', '/v1/rules/simulate', { token: admin, body: { yaml: 'title: x', from: 0, to: 400 * 86_400_000 } });
    expect(wide.status).toBe(400);
    expect(wide.body.error?.code).toBe('SIMULATION_INVALID');
    const draft = await apis.query.call('POST', '/v1/rules/simulate', { token: admin, body: { yaml: 'x'.repeat(257 * 1024), from: 0, to: 60_000 } });
    expect([400, 413]).toContain(draft.status);
  });

  it('the gateway refuses a body over BODY_LIMIT_BYTES (1 MiB) and a batch over 500 records with 413', async () => {
    const big = await apis.ingest.call('POST', '/v1/alerts', { token: sensor, body: JSON.stringify({ rule: { id: 'x', name: 'x'.repeat(1_100_000) } }) });
    expect(big.status).toBe(413);
    const many = Array.from({ length: 501 }, () => ({ rule: { id: 'x', name: 'x' }, severity: 'low', event_time: Date.now(), observables: { host: 'h' } }));
    const batch = await apis.ingest.call('POST', '/v1/alerts/batch', { token: sensor, body: many });
    expect(batch.status).toBe(413);
    expect(batch.body.error?.code).toBe('REQUEST_TOO_LARGE');
  });

  it('free text and filters are bounded: a 100 KiB query string is refused, not searched', async () => {
    const answer = await get(`/v1/alerts?q=${'a'.repeat(100 * 1024)}`);
    expect([400, 414, 431]).toContain(answer.status);
  });
});
