import { KeyObject, createPublicKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevKeys, mintToken, startJwksServer, type Role } from '@vigil/auth';

/**
 * A throwaway identity provider for in-process gateway tests: its own key pair in a
 * temp dir and a JWKS on a free port, so the tests never depend on (or disturb) the
 * dev IdP that `vigil run` uses.
 */
export interface TestIdp {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  readonly kid: string;
  /** The signing key, for tests that forge tokens by hand. */
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  token(tenant: string, role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIdp(): Promise<TestIdp> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-idp-'));
  const { kid, privateKey } = await ensureDevKeys(dir);
  // On Node the key is a KeyObject; node:crypto then signs whatever a test needs to forge.
  if (!(privateKey instanceof KeyObject)) throw new Error('expected a node:crypto KeyObject from ensureDevKeys');
  const server = await startJwksServer({ dir, port: 0 });
  const issuer = 'https://idp.ingest-test.local';
  const audience = 'vigil-ingest-test';
  return {
    issuer,
    audience,
    jwksUrl: server.url,
    kid,
    privateKey,
    publicKey: createPublicKey(privateKey),
    token: (tenant, role) => mintToken({ dir, tenant, role, issuer, audience }),
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
