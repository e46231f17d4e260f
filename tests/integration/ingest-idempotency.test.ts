import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@vigil/contracts';
import { VigilError } from '@vigil/errors';
import type { Publisher } from '@vigil/ingest-api';
import { startTestGateway, type GatewayResponse, type TestGateway } from '../support/ingest-gateway.ts';
import { uniqueTenant } from '../support/stack-env.ts';

/**
 * Idempotency, rate limits and request limits of the real gateway (Redis for keys and
 * counters, Kafka acks=all behind the publisher).
 */

interface Hold {
  /** Resolves when a publish reached the hold. */
  readonly entered: Promise<void>;
  release(): void;
}

/** Wraps the real publisher so a test can hold the next publish, or make it fail. */
function controllable(real: Publisher) {
  let hold: { entered: () => void; released: Promise<void> } | null = null;
  let failNext = false;
  const published: Alert[] = [];
  const publisher: Publisher = {
    ...real,
    async publish(alerts) {
      if (failNext) {
        failNext = false;
        throw new VigilError('OVERLOADED', 'test: Kafka unavailable', { retryAfterSeconds: 1 });
      }
      const current = hold;
      hold = null;
      if (current) {
        current.entered();
        await current.released;
      }
      await real.publish(alerts);
      published.push(...alerts);
    },
  };
  return {
    publisher,
    published,
    holdNext(): Hold {
      let entered!: () => void;
      let release!: () => void;
      const enteredP = new Promise<void>((resolve) => (entered = resolve));
      hold = { entered, released: new Promise<void>((resolve) => (release = resolve)) };
      return { entered: enteredP, release };
    },
    failNext: () => {
      failNext = true;
    },
  };
}

let gateway: TestGateway;
let control: ReturnType<typeof controllable>;
let tenant: string;
let token: string;

beforeAll(async () => {
  gateway = await startTestGateway({
    wrapPublisher: (real) => {
      control = controllable(real);
      return control.publisher;
    },
  });
  tenant = uniqueTenant('idem');
  token = await gateway.idp.token(tenant, 'sensor');
});

afterAll(async () => {
  await gateway?.close();
});

const errorOf = (r: GatewayResponse) => r.json['error'] as { code: string; message: string; path?: string };
let n = 0;
const uniqueKey = () => `test-${Date.now().toString(36)}-${++n}`;

function alert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { rule: { id: 'idem-rule', name: 'Idempotency test' }, severity: 'medium', event_time: new Date().toISOString(), observables: { host: 'h1', src_port: 443 }, ...overrides };
}

/** The same object with its keys in reverse order, at every level. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}

const postKeyed = (path: string, key: string, body: unknown, as = token) => gateway.post({ path, token: as, body, headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  it.each(['/v1/alerts', '/v1/alerts/batch'])('%s: same key and payload with keys reordered → the first response, replayed, published once', async (path) => {
    const body = path.endsWith('batch') ? [alert(), alert({ severity: 'high' })] : alert();
    const key = uniqueKey();
    const before = control.published.length;
    const first = await postKeyed(path, key, body);
    expect(first.status, first.text).toBe(202);
    // Different bytes, same canonical JSON: reversed keys and 443 spelled 443.0.
    const text = JSON.stringify(reordered(body)).replace('"src_port":443', '"src_port":443.0');
    const again = await postKeyed(path, key, text);
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    expect(control.published.length - before).toBe(Array.isArray(body) ? 2 : 1);
  });

  it.each(['/v1/alerts', '/v1/alerts/batch'])('%s: same key, different payload → 422 IDEMPOTENCY_KEY_REUSED', async (path) => {
    const key = uniqueKey();
    const wrap = (b: unknown) => (path.endsWith('batch') ? [b] : b);
    expect((await postKeyed(path, key, wrap(alert()))).status).toBe(202);
    const reused = await postKeyed(path, key, wrap(alert({ severity: 'critical' })));
    expect(reused.status).toBe(422);
    expect(reused.json).toEqual({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } });
  });

  it('a retry while the first request is in flight → 409 IDEMPOTENCY_IN_FLIGHT with Retry-After, then the replay', async () => {
    const key = uniqueKey();
    const body = alert();
    const hold = control.holdNext();
    const first = postKeyed('/v1/alerts', key, body);
    await hold.entered;
    const concurrent = await postKeyed('/v1/alerts', key, body);
    expect(concurrent.status).toBe(409);
    expect(errorOf(concurrent).code).toBe('IDEMPOTENCY_IN_FLIGHT');
    expect(Number(concurrent.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A different payload under the key in flight is still a conflict of payloads, not a wait.
    expect(errorOf(await postKeyed('/v1/alerts', key, alert({ severity: 'low' }))).code).toBe('IDEMPOTENCY_KEY_REUSED');
    hold.release();
    const done = await first;
    expect(done.status).toBe(202);
    const replay = await postKeyed('/v1/alerts', key, body);
    expect(replay.json).toEqual(done.json);
  });

  it('a failed publish releases the key: 503 with Retry-After, then the retry is processed', async () => {
    const key = uniqueKey();
    const body = [alert()];
    const before = control.published.length;
    control.failNext();
    const failed = await postKeyed('/v1/alerts/batch', key, body);
    expect(failed.status).toBe(503);
    expect(errorOf(failed).code).toBe('OVERLOADED');
    expect(failed.headers['retry-after']).toBe('1');
    const retry = await postKeyed('/v1/alerts/batch', key, body);
    expect(retry.status).toBe(202);
    expect(control.published.length - before).toBe(1);
  });

  it("without a header, the alert's own id fixes the alert id: a retry is harmless, an updated finding is not refused", async () => {
    // Not an idempotency key (routes/alerts.ts): detectors resend updated findings under
    // the same id. The retry is published again and collapses downstream, where every
    // stage is idempotent by alert id.
    const id = `sensor-${uniqueKey()}`;
    const first = await gateway.post({ path: '/v1/alerts', token, body: alert({ id }) });
    const retry = await gateway.post({ path: '/v1/alerts', token, body: reordered(alert({ id })) });
    const updated = await gateway.post({ path: '/v1/alerts', token, body: alert({ id, severity: 'critical' }) });
    expect([first.status, retry.status, updated.status]).toEqual([202, 202, 202]);
    expect(new Set([first.json['id'], retry.json['id'], updated.json['id']]).size).toBe(1);
    const other = await gateway.post({ path: '/v1/alerts', token, body: alert({ id: `${id}-2` }) });
    expect(other.json['id']).not.toBe(first.json['id']);
  });

  it('keys belong to a tenant: the same key from another tenant is a new request', async () => {
    const key = uniqueKey();
    const other = await gateway.idp.token(uniqueTenant('idem-b'), 'sensor');
    const mine = await postKeyed('/v1/alerts', key, alert());
    const theirs = await postKeyed('/v1/alerts', key, alert({ severity: 'low' }), other);
    expect([mine.status, theirs.status]).toEqual([202, 202]);
    expect(theirs.json['id']).not.toBe(mine.json['id']);
  });

  it.each(['', 'has space', 'x'.repeat(129), 'naïve'])('refuses the key %j with 400 IDEMPOTENCY_KEY_INVALID', async (key) => {
    const response = await gateway.post({ path: '/v1/alerts', token, body: alert(), headers: { 'idempotency-key': key } });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('IDEMPOTENCY_KEY_INVALID');
  });
});

/** An object nested `depth` levels deep, counting the record itself as level 1. */
function nested(depth: number): Record<string, unknown> {
  let inner: unknown = 'leaf';
  for (let i = 0; i < depth - 1; i++) inner = { d: inner };
  return alert({ labels: inner });
}

describe('request limits', () => {
  it.each(['/v1/alerts', '/v1/alerts/batch'])('%s: a body over BODY_LIMIT_BYTES → 413 REQUEST_TOO_LARGE', async (path) => {
    const cap = gateway.config.BODY_LIMIT_BYTES;
    const body = JSON.stringify(path.endsWith('batch') ? [alert({ id: 'x'.repeat(cap) })] : alert({ id: 'x'.repeat(cap) }));
    const response = await gateway.post({ path, token, body });
    expect(response.status).toBe(413);
    expect(errorOf(response).code).toBe('REQUEST_TOO_LARGE');
  });

  it('a batch of more than BATCH_MAX_RECORDS → 413, as a JSON array and as NDJSON, and nothing is published', async () => {
    const before = control.published.length;
    const records = Array.from({ length: gateway.config.BATCH_MAX_RECORDS + 1 }, () => alert());
    const array = await gateway.post({ path: '/v1/alerts/batch', token, body: records });
    const ndjson = await gateway.post({ path: '/v1/alerts/batch', token, body: records.map((r) => JSON.stringify(r)).join('\n'), contentType: 'application/x-ndjson' });
    for (const response of [array, ndjson]) {
      expect(response.status).toBe(413);
      expect(errorOf(response).code).toBe('REQUEST_TOO_LARGE');
    }
    expect(control.published.length).toBe(before);
  });

  it('JSON nesting: up to JSON_MAX_DEPTH passes the depth check, one more level is 400 REQUEST_BODY_TOO_DEEP', async () => {
    const cap = gateway.config.JSON_MAX_DEPTH;
    // At the cap the mapper sees it (and refuses labels that are not strings), past it the gateway does.
    expect(errorOf(await gateway.post({ path: '/v1/alerts', token, body: nested(cap) })).code).toBe('ALERT_SCHEMA_INVALID');
    expect(errorOf(await gateway.post({ path: '/v1/alerts', token, body: nested(cap + 1) })).code).toBe('REQUEST_BODY_TOO_DEEP');
    expect(errorOf(await gateway.post({ path: '/v1/alerts/batch', token, body: [nested(cap + 1)] })).code).toBe('REQUEST_BODY_TOO_DEEP');
  });

  it('an NDJSON line nested too deep is rejected alone; the other lines are published (207)', async () => {
    const cap = gateway.config.JSON_MAX_DEPTH;
    const body = [alert(), nested(cap + 1), alert({ severity: 'low' })].map((r) => JSON.stringify(r)).join('\n');
    const response = await gateway.post({ path: '/v1/alerts/batch', token, body, contentType: 'application/x-ndjson' });
    expect(response.status).toBe(207);
    expect(response.json).toMatchObject({ accepted: 2, rejected: 1 });
    expect((response.json['results'] as unknown[])[1]).toMatchObject({ status: 'rejected', error: { code: 'REQUEST_BODY_TOO_DEEP' } });
  });

  it.each([
    ['/v1/alerts', 'text/plain'],
    ['/v1/alerts', 'application/xml'],
    ['/v1/alerts', 'application/x-www-form-urlencoded'],
    ['/v1/alerts', 'application/x-ndjson'],
    ['/v1/alerts/batch', 'text/plain'],
    ['/v1/alerts/batch', 'multipart/form-data; boundary=x'],
    ['/v1/alerts', null],
  ])('%s with Content-Type %s → 415 REQUEST_CONTENT_TYPE', async (path, contentType) => {
    const response = await gateway.post({ path, token, body: JSON.stringify(alert()), contentType });
    expect(response.status).toBe(415);
    expect(errorOf(response).code).toBe('REQUEST_CONTENT_TYPE');
  });

  it('a JSON string is not NDJSON: the batch route refuses it', async () => {
    const response = await gateway.post({ path: '/v1/alerts/batch', token, body: JSON.stringify(JSON.stringify(alert())) });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('ALERT_SCHEMA_INVALID');
  });
});

describe('rate limits', () => {
  it('per tenant: past TENANT_RATE_LIMIT_PER_MINUTE → 429 RATE_LIMITED with Retry-After; another tenant is unaffected', async () => {
    const limited = await startTestGateway({ env: { TENANT_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const [noisy, quiet] = await Promise.all([limited.idp.token(uniqueTenant('rl-noisy'), 'sensor'), limited.idp.token(uniqueTenant('rl-quiet'), 'sensor')]);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.post({ path: '/v1/alerts', token: noisy, body: alert() })).status);
      expect(statuses).toEqual([202, 202, 202]);
      const refused = await limited.post({ path: '/v1/alerts/batch', token: noisy, body: [alert()] });
      expect(refused.status).toBe(429);
      expect(errorOf(refused).code).toBe('RATE_LIMITED');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await limited.post({ path: '/v1/alerts', token: quiet, body: alert() })).status).toBe(202);
    } finally {
      await limited.close();
    }
  });

  it("per tenant in flight: past MAX_TENANT_INFLIGHT_BODY_BYTES → 429 with Retry-After: 1 for that tenant only, until its requests finish", async () => {
    let held!: ReturnType<typeof controllable>;
    const limited = await startTestGateway({
      env: { MAX_TENANT_INFLIGHT_BODY_BYTES: '4000' },
      wrapPublisher: (real) => {
        held = controllable(real);
        return held.publisher;
      },
    });
    try {
      const [flooding, other] = await Promise.all([limited.idp.token(uniqueTenant('share-flood'), 'sensor'), limited.idp.token(uniqueTenant('share-other'), 'sensor')]);
      const big = Array.from({ length: 20 }, () => alert());
      expect(JSON.stringify(big).length).toBeGreaterThan(2500);
      expect(JSON.stringify(big).length).toBeLessThan(4000);
      const hold = held.holdNext();
      const first = limited.post({ path: '/v1/alerts/batch', token: flooding, body: big });
      await hold.entered;

      const refused = await limited.post({ path: '/v1/alerts/batch', token: flooding, body: big });
      expect(refused.status).toBe(429);
      expect(errorOf(refused).code).toBe('RATE_LIMITED');
      expect(refused.headers['retry-after']).toBe('1');
      expect((await limited.post({ path: '/v1/alerts/batch', token: other, body: big })).status).toBe(202);

      hold.release();
      expect((await first).status).toBe(202);
      expect((await limited.post({ path: '/v1/alerts/batch', token: flooding, body: big })).status).toBe(202);
    } finally {
      await limited.close();
    }
  });

  it('per client address, before authentication: past CLIENT_RATE_LIMIT_PER_MINUTE even bad tokens get 429, health checks do not', async () => {
    const limited = await startTestGateway({ env: { CLIENT_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.post({ path: '/v1/alerts', token: 'not-a-token', body: alert() })).status);
      expect(statuses).toEqual([401, 401, 429]);
      expect((await limited.app.inject({ method: 'GET', url: '/healthz', remoteAddress: limited.remoteAddress })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
