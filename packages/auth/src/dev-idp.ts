import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { tenantIdSchema } from '@vigil/contracts';
import { ensureDevKeys } from './dev-keys.ts';
import { isRole, permissionsOf } from './permissions.ts';
import type { Role } from './permissions.ts';

/**
 * A stand-in identity provider for local runs and tests: it signs tokens with the key
 * from ensureDevKeys and publishes the matching JWKS. Nothing here is used in production.
 */
export const DEV_ISSUER = 'https://idp.vigil.local';
export const DEV_AUDIENCE = 'vigil';
export const DEV_JWKS_PORT = 8099;

export interface MintTokenOptions {
  readonly dir: string;
  readonly tenant: string;
  readonly role: Role;
  readonly subject?: string;
  readonly ttlSeconds?: number;
  readonly issuer: string;
  readonly audience: string;
}

export async function mintToken(options: MintTokenOptions): Promise<string> {
  // Callers include a CLI, where these arrive as untyped strings: fail here, not at verify time.
  if (!isRole(options.role)) throw new Error(`unknown role "${String(options.role)}"`);
  if (!tenantIdSchema.safeParse(options.tenant).success) throw new Error(`"${options.tenant}" is not a valid tenant id`);
  const ttlSeconds = options.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('ttlSeconds must be a positive integer');

  const { kid, privateKey } = await ensureDevKeys(options.dir);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant: options.tenant, roles: [options.role], permissions: [...permissionsOf(options.role)] })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setSubject(options.subject ?? `dev-${options.role}`)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(privateKey);
}

export interface JwksServerOptions {
  readonly dir: string;
  readonly host?: string;
  /** 0 picks a free port; the chosen one is in the returned url. */
  readonly port: number;
}

export interface JwksServer {
  readonly url: string;
  close(): Promise<void>;
}

const jwksPaths = new Set(['/.well-known/jwks.json', '/jwks.json']);

export async function startJwksServer(options: JwksServerOptions): Promise<JwksServer> {
  const { jwks } = await ensureDevKeys(options.dir);
  const body = JSON.stringify(jwks);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!jwksPaths.has(path)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(req.method === 'HEAD' ? undefined : body);
  });

  // Loopback by default: the dev key set is no secret, but nobody else needs to reach it.
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Verifiers keep connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}
