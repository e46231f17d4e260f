import { createHmac, createPublicKey, KeyObject, sign as cryptoSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from '@vigil/auth';
import { startSecurityApis, type ApiClient, type SecurityApis } from '../support/security-apis.ts';
import { cli, uniqueTenant } from '../support/stack-env.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * The JWT attack list against the query API process (the verifier's unit tests and
 * tests/integration/ingest-auth.test.ts cover it for the library and the gateway), plus
 * what neither covers: huge tokens on both APIs, and SSRF through token headers
 * (jku/x5u pointing at a trap that must never be fetched).
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const tenant = uniqueTenant('sec-jwt');
// The development IdP's own key: a forgery signed with it differs from a real token only in the attacked point.
const dev = await ensureDevKeys(cli.idpDir);
const realKey = dev.privateKey instanceof KeyObject ? dev.privateKey : KeyObject.from(dev.privateKey as Parameters<typeof KeyObject.from>[0]);
const publicPem = createPublicKey(realKey).export({ type: 'spki', format: 'pem' }) as string;
let apis: SecurityApis;
let trap: { server: Server; url: string; hits: string[] };

function token(header: Record<string, unknown>, claims: Record<string, unknown>, signer: (input: string) => string): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${signer(input)}`;
}
const rs256 = (input: string) => cryptoSign('sha256', Buffer.from(input), realKey).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, sub: 'attacker', iat: now(), exp: now() + 600, tenant, roles: ['admin'], ...extra });
const header = (extra: Record<string, unknown> = {}) => ({ alg: 'RS256', typ: 'JWT', kid: dev.kid, ...extra });

beforeAll(async () => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  trap = { server, hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  apis = await startSecurityApis();
});

afterAll(async () => {
  await apis?.stop();
  await new Promise((resolve) => trap?.server.close(resolve));
});

const read = (api: ApiClient, t: string) => api.call('GET', '/v1/alerts?size=1', { token: t });

describe('token attacks on the query API', () => {
  it('a correctly signed token is accepted: the forgeries below differ from it in one point each', async () => {
    expect((await read(apis.query, token(header(), claims(), rs256))).status).toBe(200);
  });

  it.each([
    ['alg none', () => token(header({ alg: 'none' }), claims(), () => '')],
    ['HS256 keyed with the public key (algorithm confusion)', () => token(header({ alg: 'HS256' }), claims(), (i) => createHmac('sha256', publicPem).update(i).digest('base64url'))],
    ['RS512 with the real key', () => token(header({ alg: 'RS512' }), claims(), (i) => cryptoSign('sha512', Buffer.from(i), realKey).toString('base64url'))],
    ['unknown kid', () => token(header({ kid: 'not-a-key' }), claims(), rs256)],
    ['expired', () => token(header(), claims({ exp: now() - 3600, iat: now() - 7200 }), rs256)],
    ['not yet valid', () => token(header(), claims({ nbf: now() + 3600 }), rs256)],
    ['wrong issuer', () => token(header(), claims({ iss: 'https://evil.example' }), rs256)],
    ['wrong audience', () => token(header(), claims({ aud: 'someone-else' }), rs256)],
    ['no exp', () => token(header(), claims({ exp: undefined }), rs256)],
    ['no tenant', () => token(header(), claims({ tenant: undefined }), rs256)],
    ['tenant with a wildcard', () => token(header(), claims({ tenant: '*' }), rs256)],
    ['tenant as an array', () => token(header(), claims({ tenant: [tenant, 'other'] }), rs256)],
    // The replaced character decides the replacement: keyed on the last one, 1 token in 64
    // already had an 'A' there and went through unchanged (a CI flake: 200).
    ['a flipped signature bit', () => { const t = token(header(), claims(), rs256); return `${t.slice(0, -2)}${t.at(-2) === 'A' ? 'B' : 'A'}${t.slice(-1)}`; }],
  ])('%s → 401', async (_name, make) => {
    const answer = await read(apis.query, make());
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toMatch(/^AUTH_TOKEN_INVALID|AUTH_TENANT_CLAIM_INVALID$/);
  });

  it('never fetches a key from a URL the token names (jku, x5u): 401 and the trap sees nothing (SSRF)', async () => {
    for (const extra of [{ jku: `${trap.url}/jwks.json` }, { x5u: `${trap.url}/cert.pem` }, { jku: `${trap.url}/jwks.json`, kid: 'attacker' }]) {
      expect((await read(apis.query, token(header(extra), claims(), rs256))).status).toBe(401);
    }
    expect(trap.hits).toEqual([]);
  });
});

describe('huge tokens on both APIs', () => {
  const padded = (bytes: number, signer: (input: string) => string) => {
    const base = token(header(), claims({ pad: '' }), signer);
    return token(header(), claims({ pad: 'x'.repeat(Math.max(0, bytes - base.length)) }), signer);
  };
  const endpoints = () => [[apis.query, 'GET', '/v1/alerts?size=1'], [apis.ingest, 'POST', '/v1/alerts']] as const;

  it('a 12 KiB forged token is verified and refused (401) like a small one', async () => {
    const forged = padded(12 * 1024, () => 'A'.repeat(342));
    for (const [api, method, path] of endpoints()) {
      const answer = await api.call(method, path, { token: forged, ...(method === 'POST' ? { body: {} } : {}) });
      expect(answer.status, `${method} ${path}`).toBe(401);
    }
  });

  // Past 16 KiB (the verifier's cap, and Node's header limit) even a correctly signed token is refused.
  it.each([20 * 1024, 256 * 1024])('a correctly signed %i-byte token is refused (401 or 431), and the APIs keep serving', async (bytes) => {
    const huge = padded(bytes, rs256);
    for (const [api, method, path] of endpoints()) {
      const answer = await api.call(method, path, { token: huge, ...(method === 'POST' ? { body: {} } : {}) });
      expect([401, 431], `${method} ${path}`).toContain(answer.status);
    }
    expect((await read(apis.query, await tokenFor(tenant, 'analyst'))).status).toBe(200);
  });
});
