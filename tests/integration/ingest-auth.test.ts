import { createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@vigil/contracts';
import { ConfigError, parseConfig } from '@vigil/config';
import { ingestConfigSchema, type Publisher } from '@vigil/ingest-api';
import { startTestGateway, type GatewayResponse, type TestGateway } from '../support/ingest-gateway.ts';
import { uniqueTenant } from '../support/stack-env.ts';

/**
 * Every JWT attack of issue 3 against the real gateway (real Redis, real Kafka, JWKS
 * over HTTP): each one must be a 401 before anything is published. The verifier's own
 * unit tests cover the same list one layer down; this proves the gateway wires it.
 */

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

type Signer = (input: string) => string;

/** Hand-made JWTs: a library would refuse to produce most of these. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, signer: Signer): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${signer(input)}`;
}

const rsa = (key: KeyObject, hash = 'sha256'): Signer => (input) => cryptoSign(hash, Buffer.from(input), key).toString('base64url');
const pss = (key: KeyObject): Signer => (input) => cryptoSign('sha256', Buffer.from(input), { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }).toString('base64url');
const ecdsa = (key: KeyObject): Signer => (input) => cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
const hmac = (secret: string | Buffer): Signer => (input) => createHmac('sha256', secret).update(input).digest('base64url');
const unsigned: Signer = () => '';

let gateway: TestGateway;
let trap: { server: Server; url: string; hits: string[] };
const published: Alert[] = [];
const tenant = uniqueTenant('auth');

const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Answers every request with the attacker's key set: a verifier following jku/x5u would land here. */
async function startTrap(): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const jwks = JSON.stringify({ keys: [{ ...attacker.publicKey.export({ format: 'jwk' }), kid: 'attacker', alg: 'RS256', use: 'sig' }] });
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function recording(real: Publisher): Publisher {
  return { ...real, publish: async (alerts) => { await real.publish(alerts); published.push(...alerts); } };
}

beforeAll(async () => {
  trap = await startTrap();
  gateway = await startTestGateway({ wrapPublisher: recording });
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => trap?.server.close(resolve));
});

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { iss: gateway.idp.issuer, aud: gateway.idp.audience, sub: 'sensor-1', iat: now(), exp: now() + 600, tenant, roles: ['sensor'], ...overrides };
  // `undefined` means "leave the claim out".
  return Object.fromEntries(Object.entries(base).filter(([, value]) => value !== undefined));
}

const header = (overrides: Record<string, unknown> = {}) => ({ alg: 'RS256', typ: 'JWT', kid: gateway.idp.kid, ...overrides });
const real = () => rsa(gateway.idp.privateKey);

function alertBody(n: number): object {
  return { rule: { id: 'auth-test', name: 'Auth test' }, severity: 'low', event_time: new Date().toISOString(), observables: { host: `host-${n}` } };
}

const endpoints = [
  { path: '/v1/alerts', body: (n: number) => alertBody(n) },
  { path: '/v1/alerts/batch', body: (n: number) => [alertBody(n)] },
];

async function postBoth(authorization: string | undefined): Promise<GatewayResponse[]> {
  return Promise.all(endpoints.map((e, n) => gateway.post({ path: e.path, body: e.body(n), ...(authorization !== undefined ? { headers: { authorization } } : {}) })));
}

function expectRefused(responses: GatewayResponse[], status: number, codes: readonly string[]): void {
  for (const response of responses) {
    expect(response.status, response.text).toBe(status);
    expect(Object.keys(response.json)).toEqual(['error']);
    expect(codes).toContain((response.json['error'] as { code: string }).code);
  }
}

// Built lazily: the forged tokens need the IdP's key and kid, which exist after beforeAll.
const attacks: Array<[string, () => string]> = [
  ...['none', 'None', 'NONE', 'nOnE'].map((alg): [string, () => string] => [`alg ${alg} without a signature`, () => forge(header({ alg }), claims(), unsigned)]),
  ['alg none with a real RS256 signature attached', () => forge(header({ alg: 'none' }), claims(), real())],
  ['HS256 signed with the public key (PEM) as the HMAC secret', () => forge(header({ alg: 'HS256' }), claims(), hmac(gateway.idp.publicKey.export({ type: 'spki', format: 'pem' })))],
  ['HS256 signed with the public key (JWK JSON) as the HMAC secret', () => forge(header({ alg: 'HS256' }), claims(), hmac(JSON.stringify(gateway.idp.publicKey.export({ format: 'jwk' }))))],
  ['RS512 signed with the real key', () => forge(header({ alg: 'RS512' }), claims(), rsa(gateway.idp.privateKey, 'sha512'))],
  ['RS384 signed with the real key', () => forge(header({ alg: 'RS384' }), claims(), rsa(gateway.idp.privateKey, 'sha384'))],
  ['PS256 signed with the real key', () => forge(header({ alg: 'PS256' }), claims(), pss(gateway.idp.privateKey))],
  ['ES256 with an EC key', () => forge(header({ alg: 'ES256' }), claims(), ecdsa(ec.privateKey))],
  ['rs256 (wrong casing) signed with the real key', () => forge(header({ alg: 'rs256' }), claims(), real())],
  ['an embedded jwk header with the attacker key', () => forge(header({ kid: 'attacker', jwk: { ...attacker.publicKey.export({ format: 'jwk' }), kid: 'attacker' } }), claims(), rsa(attacker.privateKey))],
  ['an embedded jwk header, real kid, attacker signature', () => forge(header({ jwk: attacker.publicKey.export({ format: 'jwk' }) }), claims(), rsa(attacker.privateKey))],
  ['a jku header pointing at the trap', () => forge(header({ kid: 'attacker', jku: `${trap.url}/jwks.json` }), claims(), rsa(attacker.privateKey))],
  ['an x5u header pointing at the trap', () => forge(header({ kid: 'attacker', x5u: `${trap.url}/cert.pem` }), claims(), rsa(attacker.privateKey))],
  ['a jku header on an otherwise valid token', () => forge(header({ jku: `${trap.url}/valid.json` }), claims(), real())],
  ['an x5c certificate chain header', () => forge(header({ kid: 'attacker', x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }), claims(), rsa(attacker.privateKey))],
  ['an unknown kid', () => forge(header({ kid: 'no-such-key' }), claims(), rsa(attacker.privateKey))],
  ['no kid, attacker signature', () => forge({ alg: 'RS256', typ: 'JWT' }, claims(), rsa(attacker.privateKey))],
  ['the real kid with the attacker signature', () => forge(header(), claims(), rsa(attacker.privateKey))],
  ['a payload altered after signing', () => forge(header(), claims(), real()).replace(/\.[^.]+\./, `.${b64url(claims({ tenant: 'victim' }))}.`)],
  ['expired an hour ago', () => forge(header(), claims({ exp: now() - 3600 }), real())],
  ['not valid for another hour (nbf)', () => forge(header(), claims({ nbf: now() + 3600 }), real())],
  ['missing exp', () => forge(header(), claims({ exp: undefined }), real())],
  ['exp as a string', () => forge(header(), claims({ exp: String(now() + 600) }), real())],
  ['wrong iss', () => forge(header(), claims({ iss: 'https://evil.example' }), real())],
  ['missing iss', () => forge(header(), claims({ iss: undefined }), real())],
  ['wrong aud', () => forge(header(), claims({ aud: 'some-other-service' }), real())],
  ['missing aud', () => forge(header(), claims({ aud: undefined }), real())],
  ['a JWE-shaped token', () => `${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`],
  ['garbage', () => 'not.a.jwt'],
];

describe('every JWT attack gets 401 at both endpoints, and nothing is published', () => {
  it.each(attacks)('%s', async (_name, token) => {
    expectRefused(await postBoth(`Bearer ${token()}`), 401, ['AUTH_TOKEN_INVALID']);
  });

  it.each([
    ['missing', undefined],
    ['a number', 42],
    ['an array', [tenant]],
    ['an object', { id: tenant }],
    ['null', null],
    ['empty', ''],
    ['not a tenant id', '../other-tenant'],
  ])('a tenant claim that is %s → AUTH_TENANT_CLAIM_INVALID', async (_name, value) => {
    const token = forge(header(), value === undefined ? claims({ tenant: undefined }) : { ...claims(), tenant: value }, real());
    expectRefused(await postBoth(`Bearer ${token}`), 401, ['AUTH_TENANT_CLAIM_INVALID']);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['Basic credentials', `Basic ${Buffer.from('sensor:secret').toString('base64')}`],
    ['the word Bearer alone', 'Bearer'],
  ])('%s → AUTH_TOKEN_MISSING', async (_name, authorization) => {
    expectRefused(await postBoth(authorization), 401, ['AUTH_TOKEN_MISSING']);
  });

  it('makes no outbound request for jku/x5u/jwk headers and publishes nothing', () => {
    expect(trap.hits).toEqual([]);
    expect(published).toEqual([]);
  });
});

describe('authorisation', () => {
  it('answers 403 AUTH_FORBIDDEN to a valid token without alerts:write (analyst)', async () => {
    expectRefused(await postBoth(`Bearer ${await gateway.idp.token(tenant, 'analyst')}`), 403, ['AUTH_FORBIDDEN']);
  });

  it('answers 401 before looking at the body', async () => {
    const response = await gateway.post({ path: '/v1/alerts', body: '{not json', headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
  });

  it('accepts the sensor token itself (the attacks fail for the attack, not the setup)', async () => {
    const responses = await postBoth(`Bearer ${forge(header(), claims(), real())}`);
    expect(responses.map((r) => r.status)).toEqual([202, 202]);
    expect(published.map((a) => a.tenant_id)).toEqual([tenant, tenant]);
  });
});

describe('the tenant comes only from the token', () => {
  it('rejects a vigil-format body carrying tenant_id or tenant', async () => {
    const token = await gateway.idp.token(tenant, 'sensor');
    for (const field of ['tenant_id', 'tenant']) {
      const response = await gateway.post({ path: '/v1/alerts?format=vigil', token, body: { ...alertBody(1), [field]: 'victim' } });
      expect(response.status).toBe(400);
      expect(response.json['error']).toMatchObject({ code: 'ALERT_SCHEMA_INVALID', path: field });
    }
  });

  it('ignores a tenant_id in other formats: the alert is published for the token tenant', async () => {
    const token = await gateway.idp.token(tenant, 'sensor');
    const suricata = {
      timestamp: new Date().toISOString(),
      event_type: 'alert',
      tenant_id: 'victim',
      src_ip: '198.51.100.7',
      dest_ip: '10.0.0.1',
      proto: 'TCP',
      alert: { signature_id: 2_100_001, signature: 'tenant override attempt', severity: 2 },
    };
    const before = published.length;
    const response = await gateway.post({ path: '/v1/alerts?format=suricata', token, body: suricata });
    expect(response.status, response.text).toBe(202);
    expect(published.slice(before).map((a) => a.tenant_id)).toEqual([tenant]);
  });

  it('ignores a dev tenant header when the override is off', async () => {
    const token = await gateway.idp.token(tenant, 'sensor');
    const before = published.length;
    const response = await gateway.post({ path: '/v1/alerts', token, body: alertBody(2), headers: { 'x-vigil-dev-tenant': 'victim' } });
    expect(response.status).toBe(202);
    expect(published.slice(before).map((a) => a.tenant_id)).toEqual([tenant]);
  });
});

describe('the key set location', () => {
  const parse = (url: string) => parseConfig('ingest-api', ingestConfigSchema, { JWKS_URL: url, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' });

  it.each(['https://idp.example/jwks.json', 'http://127.0.0.1:9400/jwks.json', 'http://localhost:9400/jwks.json', 'http://[::1]:9400/jwks.json'])('accepts %s', (url) => {
    expect(parse(url).JWKS_URL).toBe(url);
  });

  it('refuses plain http off loopback: keys fetched that way can be swapped on the way', () => {
    expect(() => parse('http://idp.example/jwks.json')).toThrow(/JWKS_URL must use https/);
  });
});

describe('the dev tenant override', () => {
  const base = { JWKS_URL: 'http://127.0.0.1:1/jwks.json', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' };
  const parse = (env: Record<string, string>) => parseConfig('ingest-api', ingestConfigSchema, { ...base, ...env });
  const both = { DEV_TENANT_OVERRIDE: 'true', DEV_TENANT_OVERRIDE_I_UNDERSTAND: 'true' };

  it.each(['production', 'test'])('is refused at start-up with NODE_ENV=%s', (nodeEnv) => {
    expect(() => parse({ NODE_ENV: nodeEnv, ...both })).toThrow(ConfigError);
    expect(() => parse({ NODE_ENV: nodeEnv, ...both })).toThrow(/DEV_TENANT_OVERRIDE: refused/);
  });

  it.each<Record<string, string>>([{ DEV_TENANT_OVERRIDE: 'true' }, { DEV_TENANT_OVERRIDE_I_UNDERSTAND: 'true' }])('is refused with only one flag (%o)', (flag) => {
    expect(() => parse({ NODE_ENV: 'development', ...flag })).toThrow(ConfigError);
  });

  it('is off by default, also in development', () => {
    expect(parse({ NODE_ENV: 'development' })).toMatchObject({ DEV_TENANT_OVERRIDE: false, DEV_TENANT_OVERRIDE_I_UNDERSTAND: false });
  });

  it('works with both flags in development, and only for a verified token', async () => {
    const seen: Alert[] = [];
    const dev = await startTestGateway({
      env: { NODE_ENV: 'development', ...both },
      wrapPublisher: (p) => ({ ...p, publish: async (alerts) => { await p.publish(alerts); seen.push(...alerts); } }),
    });
    try {
      const other = uniqueTenant('auth-dev');
      const token = await dev.idp.token(tenant, 'sensor');
      const picked = await dev.post({ path: '/v1/alerts', token, body: alertBody(3), headers: { 'x-vigil-dev-tenant': other } });
      expect(picked.status, picked.text).toBe(202);
      expect(seen.map((a) => a.tenant_id)).toEqual([other]);

      const invalid = await dev.post({ path: '/v1/alerts', token, body: alertBody(4), headers: { 'x-vigil-dev-tenant': '../x' } });
      expect(invalid.status).toBe(401);
      expect(invalid.json['error']).toMatchObject({ code: 'AUTH_TENANT_CLAIM_INVALID' });

      // The header never replaces authentication.
      const anonymous = await dev.post({ path: '/v1/alerts', body: alertBody(5), headers: { 'x-vigil-dev-tenant': other } });
      expect(anonymous.status).toBe(401);
    } finally {
      await dev.close();
    }
  });
});

describe('open endpoints', () => {
  const get = (url: string) => gateway.app.inject({ method: 'GET', url, remoteAddress: gateway.remoteAddress });

  it('serve health, readiness and the OpenAPI document without a token', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/readyz')).json()).toEqual({ status: 'ready' });
    const openapi = (await get('/openapi.json')).json() as { openapi: string; paths: Record<string, { post?: { security?: unknown; responses?: Record<string, unknown> } }> };
    expect(openapi.openapi).toMatch(/^3\./);
    for (const path of ['/v1/alerts', '/v1/alerts/batch']) {
      expect(openapi.paths[path]?.post?.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(openapi.paths[path]?.post?.responses ?? {})).toEqual(expect.arrayContaining(['202', '401', '403', '413', '415', '429', '503']));
    }
    expect(Object.keys(openapi.paths['/v1/alerts/batch']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['207', '422']));
  });

  it('answer an unknown path with a catalogue 404', async () => {
    const response = await gateway.post({ path: '/v1/nope', body: {} });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: 'NOT_FOUND', message: 'no such endpoint' } });
  });
});
