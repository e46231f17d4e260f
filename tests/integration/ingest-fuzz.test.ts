import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@vigil/errors';
import {
  contentType,
  deepBody,
  hugeStringBody,
  idempotencyKey,
  ndjsonBody,
  oddButValidVigil,
  path,
  rawJson,
  recordBody,
  shapedRecord,
  type HostileRequest,
} from '../support/hostile-bodies.ts';
import { startTestGateway, type GatewayResponse, type TestGateway } from '../support/ingest-gateway.ts';
import { uniqueTenant } from '../support/stack-env.ts';

/**
 * Thousands of malformed requests at both endpoints of the real gateway: every answer
 * is a 2xx or a 4xx with a catalogue code, never a 5xx, a crash or a stack trace.
 * Valid records that happen to be generated are really published, for a tenant no
 * one else uses.
 */

const known = new Set<string>(errorCodes);
// Signs of internals: stack frames, source paths, JS error names.
const LEAKS = /(\n\s+at |\bat [\w.<>]+ \(|[\w/-]+\.(ts|js|mjs):\d+|\/work\/|node_modules|(Type|Range|Syntax|Reference)Error|Maximum call stack)/;
/** Error messages may quote the offending value, but briefly. */
const MAX_MESSAGE = 1024;

let gateway: TestGateway;
let token: string;
const statuses = new Map<number, number>();
const codes = new Map<string, number>();

beforeAll(async () => {
  gateway = await startTestGateway({ env: { TENANT_RATE_LIMIT_PER_MINUTE: '1000000', CLIENT_RATE_LIMIT_PER_MINUTE: '1000000' } });
  token = await gateway.idp.token(uniqueTenant('fuzz'), 'sensor');
});

afterAll(async () => {
  await gateway?.close();
  // Shows what the runs exercised; a property that only ever hit one code proves little.
  console.log('fuzz statuses', Object.fromEntries(statuses), 'codes', Object.fromEntries(codes));
});

const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

function expectCatalogued(error: unknown, where: string): void {
  expect(error, where).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  const { code, message } = error as { code: string; message: string };
  expect(known.has(code), `${where}: unknown code ${code}`).toBe(true);
  expect(message.length, `${where}: message of ${message.length} characters`).toBeLessThanOrEqual(MAX_MESSAGE);
  count(codes, code);
}

function check(request: HostileRequest, response: GatewayResponse): void {
  const where = `${request.path} ${String(request.contentType)} → ${response.status} ${response.text.slice(0, 300)}`;
  count(statuses, response.status);
  expect(response.status, where).toBeGreaterThanOrEqual(200);
  expect(response.status, where).toBeLessThan(500);
  expect(LEAKS.test(response.text), where).toBe(false);
  const results = response.json['results'];
  if (Array.isArray(results)) {
    expect([202, 207, 422], where).toContain(response.status);
    for (const result of results as Array<{ status: string; error?: unknown }>) {
      if (result.status === 'rejected') expectCatalogued(result.error, where);
      else expect(result.status, where).toBe('accepted');
    }
    return;
  }
  if (response.status >= 400) {
    expect(Object.keys(response.json), where).toEqual(['error']);
    expectCatalogued(response.json['error'], where);
    if (response.status === 429 || response.status === 503) expect(response.headers['retry-after'], where).toBeDefined();
  } else {
    expect(response.status, where).toBe(202);
  }
}

async function send(request: HostileRequest): Promise<GatewayResponse> {
  const response = await gateway.post({
    path: request.path,
    token,
    body: request.body,
    contentType: request.contentType,
    ...(request.idempotencyKey !== undefined ? { headers: { 'idempotency-key': request.idempotencyKey } } : {}),
  });
  check(request, response);
  return response;
}

function property(body: fc.Arbitrary<string>, type: fc.Arbitrary<string | null> = fc.constant('application/json')) {
  return fc.asyncProperty(fc.record({ path, contentType: type, body, idempotencyKey }, { requiredKeys: ['path', 'contentType', 'body'] }), async (r) => {
    await send(r);
  });
}

// Big bodies make shrinking slow; a failure still prints the seed and the first counterexample.
const run = (prop: fc.IAsyncPropertyWithHooks<[HostileRequest]>, numRuns: number) => fc.assert(prop, { numRuns, endOnFailure: true });

describe('the gateway under hostile input', () => {
  it('arbitrary JSON values with hostile keys and number spellings', async () => {
    await run(property(fc.oneof(rawJson, fc.jsonValue().map((v) => JSON.stringify(v)))), 600);
  });

  it('known fields with wrong types, bad timestamps, NUL/bidi text and __proto__/constructor keys', async () => {
    await run(property(recordBody(shapedRecord)), 1000);
  });

  it('huge strings up to and past the body cap', async () => {
    await run(property(hugeStringBody(gateway.config.BODY_LIMIT_BYTES), fc.constantFrom('application/json', 'application/x-ndjson')), 120);
  });

  it('deep nesting up to far past the depth cap', async () => {
    await run(property(deepBody, fc.constantFrom('application/json', 'application/x-ndjson')), 200);
  });

  it('NDJSON with garbage lines', async () => {
    await run(property(ndjsonBody, fc.constantFrom('application/x-ndjson', 'application/x-ndjson; charset=utf-8', 'application/json')), 500);
  });

  it('random content types', async () => {
    await run(property(fc.oneof(shapedRecord, ndjsonBody, rawJson), contentType), 400);
  });

  it('odd but valid alerts (bidi, lone surrogates, IPv6, boundary ports) are published through Avro and Kafka', async () => {
    let accepted = 0;
    const validPath = fc.constantFrom('/v1/alerts', '/v1/alerts?format=vigil', '/v1/alerts/batch', '/v1/alerts/batch?format=vigil');
    const request = fc.record({ path: validPath, contentType: fc.constant('application/json'), body: fc.oneof(oddButValidVigil, fc.array(oddButValidVigil, { minLength: 1, maxLength: 5 }).map((a) => `[${a.join(',')}]`)) });
    await run(
      fc.asyncProperty(request, async (r) => {
        if ((await send(r)).status === 202) accepted++;
      }),
      200,
    );
    // Arrays sent to the single-alert route are refused; the rest should get through.
    expect(accepted).toBeGreaterThan(60);
  });
});
