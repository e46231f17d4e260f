import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWKS_PORT, mintToken, startJwksServer } from './dev-idp.ts';
import type { JwksServer } from './dev-idp.ts';
import { devKeyPaths, ensureDevKeys } from './dev-keys.ts';
import { requirePermission } from './require-permission.ts';
import { createVerifier } from './verifier.ts';

let dir: string;
let server: JwksServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-dev-idp-'));
  server = await startJwksServer({ dir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('constants', () => {
  it('match the documented development defaults', () => {
    expect([DEV_ISSUER, DEV_AUDIENCE, DEV_JWKS_PORT]).toEqual(['https://idp.vigil.local', 'vigil', 8099]);
  });
});

describe('ensureDevKeys', () => {
  it('creates the key pair once and returns the same kid afterwards', async () => {
    const privateBefore = await readFile(devKeyPaths(dir).privateKey, 'utf8');
    const first = await ensureDevKeys(dir);
    const second = await ensureDevKeys(dir);
    expect(second.kid).toBe(first.kid);
    expect(second.jwks).toEqual(first.jwks);
    expect(await readFile(devKeyPaths(dir).privateKey, 'utf8')).toBe(privateBefore);
  });

  it('keeps the private key owner-only and publishes only public members', async () => {
    const { kid } = await ensureDevKeys(dir);
    expect((await stat(devKeyPaths(dir).privateKey)).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(await readFile(devKeyPaths(dir).jwks, 'utf8')) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(jwks.keys[0]).toMatchObject({ kid, alg: 'RS256', kty: 'RSA', use: 'sig' });
  });

  it('agrees on one key when called concurrently on a fresh directory', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'vigil-dev-idp-race-'));
    try {
      const results = await Promise.all([ensureDevKeys(fresh), ensureDevKeys(fresh), ensureDevKeys(fresh)]);
      const { kid } = await ensureDevKeys(fresh);
      expect(results.map((keys) => keys.kid)).toEqual([kid, kid, kid]);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});

describe('mintToken', () => {
  it('mints a token that verifies against the served JWKS URL', async () => {
    const token = await mintToken({ dir, tenant: 'acme', role: 'engineer', issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    const verifier = createVerifier({ jwks: { url: server.url }, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    const principal = await verifier.verify(`Bearer ${token}`);
    expect(principal).toMatchObject({ tenantId: 'acme', subject: 'dev-engineer', roles: ['engineer'] });
    expect(() => requirePermission(principal, 'rules:write')).not.toThrow();
    expect(() => requirePermission(principal, 'admin:dlq')).toThrow(expect.objectContaining({ code: 'AUTH_FORBIDDEN' }));
  });

  it('sets kid, roles, permissions, sub and an exp ttlSeconds after iat', async () => {
    const token = await mintToken({ dir, tenant: 'acme', role: 'sensor', subject: 'sensor-7', ttlSeconds: 120, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: (await ensureDevKeys(dir)).kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ tenant: 'acme', roles: ['sensor'], permissions: ['alerts:write'], sub: 'sensor-7', iss: DEV_ISSUER, aud: DEV_AUDIENCE });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);
  });

  it('refuses a tenant id the verifier would reject', async () => {
    await expect(mintToken({ dir, tenant: 'acme corp', role: 'admin', issuer: DEV_ISSUER, audience: DEV_AUDIENCE })).rejects.toThrow(/tenant/);
  });
});

describe('startJwksServer', () => {
  it('serves the public JWKS on both paths and nothing else', async () => {
    const { jwks } = await ensureDevKeys(dir);
    const base = new URL(server.url);
    for (const path of ['/.well-known/jwks.json', '/jwks.json']) {
      const res = await fetch(new URL(path, base));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(jwks);
    }
    expect((await fetch(new URL('/idp/private.jwk.json', base))).status).toBe(404);
    expect((await fetch(new URL('/jwks.json', base), { method: 'POST' })).status).toBe(405);
  });
});
