import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { JWK, JWTPayload, KeyLike } from 'jose';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { startJwksServer } from './dev-idp.ts';
import type { JwksServer } from './dev-idp.ts';
import { devKeyPaths } from './dev-keys.ts';
import type { JwksSource } from './key-source.ts';
import { requirePermission } from './require-permission.ts';
import { createVerifier } from './verifier.ts';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'vigil-test';
const KID = 'test-key-1';

let rsa: { privateKey: KeyLike; publicKey: KeyLike };
let attacker: { privateKey: KeyLike; publicKey: KeyLike };
let ec: { privateKey: KeyLike; publicKey: KeyLike };
let attackerJwk: JWK;
let realPublicJwk: JWK;
let tmp: string;
let jwksFile: string;
let jwksServer: JwksServer;
let trap: { server: Server; url: string; hits: string[] };

// Keys are generated once: RSA generation dominates the run time otherwise.
beforeAll(async () => {
  [rsa, attacker, ec] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
  ]);
  realPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: KID };
  attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker' };

  tmp = await mkdtemp(join(tmpdir(), 'vigil-auth-'));
  // No "alg" on the published key: the verifier alone must pin RS256, not the key set.
  jwksFile = join(tmp, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [realPublicJwk] }));

  // The URL variant serves the same key through the dev IdP's server.
  const served = join(tmp, 'served');
  await mkdir(devKeyPaths(served).dir, { recursive: true });
  await writeFile(devKeyPaths(served).privateKey, JSON.stringify({ ...(await exportJWK(rsa.privateKey)), kid: KID }), { mode: 0o600 });
  jwksServer = await startJwksServer({ dir: served, port: 0 });

  trap = await startTrap(JSON.stringify({ keys: [attackerJwk] }));
});

afterAll(async () => {
  await jwksServer?.close();
  await new Promise((resolve) => trap?.server.close(resolve));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Records every request: a verifier that follows jku/x5u would show up here. */
async function startTrap(body: string): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: now(),
    exp: now() + 600,
    tenant: 'acme',
    roles: ['analyst'],
    ...overrides,
  };
  // `undefined` in overrides means "leave the claim out".
  return Object.fromEntries(Object.entries(base).filter(([, value]) => value !== undefined));
}

async function sign(
  payload: JWTPayload = claims(),
  { alg = 'RS256', key = rsa.privateKey, header = { kid: KID } }: { alg?: string; key?: KeyLike; header?: Record<string, unknown> } = {},
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const bearer = (token: string) => `Bearer ${token}`;

const sources: Array<[string, () => JwksSource]> = [
  ['JWKS file', () => ({ file: jwksFile })],
  ['JWKS URL', () => ({ url: jwksServer.url })],
];

describe.each(sources)('createVerifier with a %s', (_name, source) => {
  let verify: (header: string | undefined) => Promise<unknown>;
  beforeAll(() => {
    const verifier = createVerifier({ jwks: source(), issuer: ISSUER, audience: AUDIENCE });
    verify = (header) => verifier.verify(header);
  });

  const rejects = (header: string | undefined, code: string, status = 401) =>
    expect(verify(header)).rejects.toMatchObject({ name: 'VigilError', code, status });

  describe('accepts', () => {
    it('a valid RS256 token and yields its tenant, subject, roles and permissions', async () => {
      const principal = await createVerifier({ jwks: source(), issuer: ISSUER, audience: AUDIENCE }).verify(bearer(await sign()));
      expect(principal.tenantId).toBe('acme');
      expect(principal.subject).toBe('user-1');
      expect(principal.roles).toEqual(['analyst']);
      expect([...principal.permissions].sort()).toEqual(['alerts:read', 'cases:write', 'incidents:read', 'incidents:write', 'rules:read']);
    });

    it('the union of the roles and permissions claims, ignoring unknown names', async () => {
      const token = await sign(claims({ roles: ['sensor', 'superuser', 7], permissions: ['rules:write', 'alerts:delete', null] }));
      const principal = await createVerifier({ jwks: source(), issuer: ISSUER, audience: AUDIENCE }).verify(bearer(token));
      expect(principal.roles).toEqual(['sensor']);
      expect([...principal.permissions].sort()).toEqual(['alerts:write', 'rules:write']);
    });

    it('a token that expired within the clock tolerance', async () => {
      await expect(verify(bearer(await sign(claims({ exp: now() - 2 }))))).resolves.toMatchObject({ tenantId: 'acme' });
    });

    it('the tenant from a custom claim name', async () => {
      const token = await sign(claims({ tenant: undefined, 'https://vigil/tenant': 'globex' }));
      const verifier = createVerifier({ jwks: source(), issuer: ISSUER, audience: AUDIENCE, tenantClaim: 'https://vigil/tenant' });
      await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ tenantId: 'globex' });
    });
  });

  describe('the Authorization header', () => {
    it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer'])('rejects %j with AUTH_TOKEN_MISSING', async (header) => {
      await rejects(header, 'AUTH_TOKEN_MISSING');
    });

    it.each(['not-a-jwt', 'a.b.c', 'a.b.c.d.e'])('rejects the malformed token %j with AUTH_TOKEN_INVALID', async (token) => {
      await rejects(bearer(token), 'AUTH_TOKEN_INVALID');
    });
  });

  describe('algorithm attacks', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('rejects an unsigned token with alg %j', async (alg) => {
      const token = `${b64({ alg, typ: 'JWT', kid: KID })}.${b64(claims())}.`;
      await rejects(bearer(token), 'AUTH_TOKEN_INVALID');
    });

    it.each([
      ['PEM', () => exportSPKI(rsa.publicKey)],
      ['DER', async () => (await exportSPKI(rsa.publicKey)).replace(/-----[^-]+-----|\s/g, '')],
    ])('rejects HS256 signed with the RSA public key (%s) as the HMAC secret', async (_form, secretOf) => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: KID })}.${b64(claims())}`;
      const secret = await secretOf();
      for (const bytes of [secret, Buffer.from(secret, 'base64')]) {
        const token = `${input}.${createHmac('sha256', bytes).update(input).digest('base64url')}`;
        await rejects(bearer(token), 'AUTH_TOKEN_INVALID');
      }
    });

    it.each(['RS384', 'RS512', 'PS256'])('rejects %s even when signed with the trusted RSA key', async (alg) => {
      await rejects(bearer(await sign(claims(), { alg })), 'AUTH_TOKEN_INVALID');
    });

    it('rejects ES256 signed with another key', async () => {
      await rejects(bearer(await sign(claims(), { alg: 'ES256', key: ec.privateKey })), 'AUTH_TOKEN_INVALID');
    });
  });

  describe('key-injection headers', () => {
    it('rejects an attacker key embedded as "jwk" and signed with it', async () => {
      const token = await sign(claims(), { key: attacker.privateKey, header: { jwk: attackerJwk } });
      await rejects(bearer(token), 'AUTH_TOKEN_INVALID');
    });

    it('rejects a "jwk" header even on a token the trusted key signed', async () => {
      const token = await sign(claims(), { header: { kid: KID, jwk: { kty: realPublicJwk.kty, n: realPublicJwk.n, e: realPublicJwk.e } } });
      await rejects(bearer(token), 'AUTH_TOKEN_INVALID');
    });

    it.each(['jku', 'x5u'])('rejects a "%s" header and never fetches it', async (name) => {
      const before = trap.hits.length;
      const byAttacker = await sign(claims(), { key: attacker.privateKey, header: { kid: 'attacker', [name]: `${trap.url}/jwks.json` } });
      const byTrustedKey = await sign(claims(), { header: { kid: KID, [name]: `${trap.url}/jwks.json` } });
      await rejects(bearer(byAttacker), 'AUTH_TOKEN_INVALID');
      await rejects(bearer(byTrustedKey), 'AUTH_TOKEN_INVALID');
      expect(trap.hits.slice(before)).toEqual([]);
    });

    it('rejects an "x5c" header even on a token the trusted key signed', async () => {
      const token = await sign(claims(), { header: { kid: KID, x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] } });
      await rejects(bearer(token), 'AUTH_TOKEN_INVALID');
    });
  });

  describe('keys', () => {
    it('rejects an unknown kid without naming any key id', async () => {
      const result = verify(bearer(await sign(claims(), { header: { kid: 'no-such-key' } })));
      await expect(result).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID', status: 401 });
      const message = ((await result.catch((err: unknown) => err)) as Error).message;
      expect(message).not.toContain('no-such-key');
      expect(message).not.toContain(KID);
    });

    it('gives a forged signature on a known kid the same answer as an unknown kid', async () => {
      const messageOf = async (token: string) => ((await verify(bearer(token)).catch((err: unknown) => err)) as Error).message;
      const forged = await messageOf(await sign(claims(), { key: attacker.privateKey }));
      const unknown = await messageOf(await sign(claims(), { header: { kid: 'no-such-key' } }));
      expect(forged).toBe(unknown);
    });
  });

  describe('registered claims', () => {
    it.each<[string, Record<string, unknown>]>([
      ['expired', { exp: now() - 120 }],
      ['not yet valid (nbf in the future)', { nbf: now() + 120 }],
      ['missing exp', { exp: undefined }],
      ['a wrong iss', { iss: 'https://evil.test' }],
      ['a missing iss', { iss: undefined }],
      ['a wrong aud', { aud: 'someone-else' }],
      ['a missing aud', { aud: undefined }],
      ['a missing sub', { sub: undefined }],
      ['a blank sub', { sub: '   ' }],
      ['valid for a hundred years', { exp: now() + 100 * 365 * 86_400 }],
      ['valid for longer than a day', { exp: now() + 86_400 + 60 }],
      ['issued in the future', { iat: now() + 3_600 }],
      ['with iat as a string', { iat: String(now()) }],
    ])('rejects a token %s with AUTH_TOKEN_INVALID', async (_case, overrides) => {
      await rejects(bearer(await sign(claims(overrides))), 'AUTH_TOKEN_INVALID');
    });

    it('accepts a token valid for a day, and a longer one where the deployment allows it', async () => {
      await expect(verify(bearer(await sign(claims({ exp: now() + 86_400 }))))).resolves.toMatchObject({ tenantId: 'acme' });
      const lenient = createVerifier({ jwks: source(), issuer: ISSUER, audience: AUDIENCE, maxLifetimeSec: 7 * 86_400 });
      await expect(lenient.verify(bearer(await sign(claims({ exp: now() + 3 * 86_400 }))))).resolves.toMatchObject({ tenantId: 'acme' });
    });
  });

  describe('the token header and encoding', () => {
    it.each<[string, Record<string, unknown>]>([
      ['typ JWT', { kid: KID, typ: 'JWT' }],
      ['typ at+jwt (RFC 9068)', { kid: KID, typ: 'at+jwt' }],
      ['no typ', { kid: KID }],
    ])('accepts %s', async (_case, header) => {
      await expect(verify(bearer(await sign(claims(), { header })))).resolves.toMatchObject({ tenantId: 'acme' });
    });

    it.each<[string, Record<string, unknown>]>([
      ['a logout token (typ logout+jwt)', { kid: KID, typ: 'logout+jwt' }],
      ['an ID-token-like typ', { kid: KID, typ: 'id+jwt' }],
      ['a kid that is an object', { kid: { $ne: null } }],
      ['a kid of 300 characters', { kid: 'k'.repeat(300) }],
    ])('rejects %s with AUTH_TOKEN_INVALID', async (_case, header) => {
      await rejects(bearer(await sign(claims(), { header })), 'AUTH_TOKEN_INVALID');
    });

    it('rejects a token spelled another way: padding, the +/ alphabet, stray low bits', async () => {
      const token = await sign();
      const [h, p, sig] = token.split('.') as [string, string, string];
      const stdAlphabet = Buffer.from(sig, 'base64url').toString('base64').replace(/=+$/, '');
      const last = sig.at(-1)!;
      const flipped = 'AQgw'.indexOf(last) >= 0 ? `${sig.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}` : null;
      for (const spelled of [`${h}.${p}.${sig}==`, `${h}==.${p}.${sig}`, `${h}.${p}.${stdAlphabet}`, ...(flipped ? [`${h}.${p}.${flipped}`] : [])]) {
        if (spelled === token) continue;
        await rejects(bearer(spelled), 'AUTH_TOKEN_INVALID');
      }
      await expect(verify(bearer(token))).resolves.toMatchObject({ tenantId: 'acme' });
    });
  });

  describe('the tenant claim', () => {
    it.each<[string, unknown]>([
      ['missing', undefined],
      ['a number', 42],
      ['an array', ['acme']],
      ['an object', { id: 'acme' }],
      ['empty', ''],
      ['containing a space', 'acme corp'],
      ['containing a path', '../other'],
      ['containing a colon', 'acme:*'],
      ['starting with a dash', '-acme'],
      ['longer than 63 characters', 'a'.repeat(64)],
    ])('rejects a tenant claim that is %s with AUTH_TENANT_CLAIM_INVALID', async (_case, tenant) => {
      await rejects(bearer(await sign(claims({ tenant }))), 'AUTH_TENANT_CLAIM_INVALID');
    });
  });

  describe('requirePermission', () => {
    it('lets a sensor write alerts but not read them (403 AUTH_FORBIDDEN)', async () => {
      const verifier = createVerifier({ jwks: source(), issuer: ISSUER, audience: AUDIENCE });
      const sensor = await verifier.verify(bearer(await sign(claims({ roles: ['sensor'] }))));
      expect(() => requirePermission(sensor, 'alerts:write')).not.toThrow();
      expect(() => requirePermission(sensor, 'alerts:read')).toThrow(expect.objectContaining({ code: 'AUTH_FORBIDDEN', status: 403 }));
    });
  });
});

describe('createVerifier with an unreachable JWKS URL', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE, not a token error', async () => {
    const closed = await startTrap('{}');
    await new Promise((resolve) => closed.server.close(resolve));
    const verifier = createVerifier({ jwks: { url: `${closed.url}/jwks.json`, timeoutMs: 500 }, issuer: ISSUER, audience: AUDIENCE });
    await expect(verifier.verify(bearer(await sign()))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 503 });
  });
});

describe('createVerifier configuration', () => {
  it.each([
    ['an empty issuer', { issuer: '', audience: AUDIENCE }],
    ['an empty audience', { issuer: ISSUER, audience: '' }],
  ])('refuses %s, which would switch the check off', (_case, names) => {
    expect(() => createVerifier({ jwks: { file: jwksFile }, ...names })).toThrow(/issuer and audience/);
  });
});

describe('createVerifier with a JWKS file', () => {
  it('fails at creation when the file is missing, not on the first request', () => {
    expect(() => createVerifier({ jwks: { file: join(tmpdir(), 'vigil-no-such-jwks.json') }, issuer: ISSUER, audience: AUDIENCE })).toThrow(/cannot read JWKS file/);
  });
});
