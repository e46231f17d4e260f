import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { JSONWebKeySet, JWK, KeyLike } from 'jose';

export interface DevKeys {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly jwks: JSONWebKeySet;
}

export function devKeyPaths(dir: string): { readonly dir: string; readonly privateKey: string; readonly jwks: string } {
  const idp = join(dir, 'idp');
  return { dir: idp, privateKey: join(idp, 'private.jwk.json'), jwks: join(idp, 'jwks.json') };
}

/**
 * Creates the development signing key under `<dir>/idp` the first time and reuses it
 * afterwards, so tokens minted in one run keep verifying in the next. Development only:
 * production keys live in the real identity provider.
 */
export async function ensureDevKeys(dir: string): Promise<DevKeys> {
  const paths = devKeyPaths(dir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const privateJwk = (await readPrivateJwk(paths.privateKey)) ?? (await createPrivateJwk(paths.privateKey));
  const jwks: JSONWebKeySet = { keys: [publicJwkOf(privateJwk)] };
  // Rewritten every time from the private key, so the two files can never disagree.
  await writeAtomically(paths.jwks, JSON.stringify(jwks, null, 2) + '\n', 0o644);
  const privateKey = await importJWK(privateJwk, 'RS256');
  if (privateKey instanceof Uint8Array) throw new Error(`${paths.privateKey} does not hold an RSA private key`);
  return { kid: privateJwk.kid as string, privateKey, jwks };
}

async function readPrivateJwk(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const jwk = JSON.parse(text) as JWK;
  if (jwk.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new Error(`${file} is not an RSA private JWK with a kid; delete it to generate a new key`);
  }
  return jwk;
}

async function createPrivateJwk(file: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  // The RFC 7638 thumbprint is derived from the key itself, so the kid is stable across runs.
  const kid = await calculateJwkThumbprint(jwk);
  const full: JWK = { ...jwk, kid, alg: 'RS256', use: 'sig' };
  // Write under a temporary name, then link(): it fails if another process won the race,
  // and a reader can never see a half-written key.
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(full, null, 2) + '\n', { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = await readPrivateJwk(file);
    if (winner === undefined) throw err;
    return winner;
  } finally {
    await unlink(tmp);
  }
  return full;
}

// Copies only the public members: spreading the private JWK would publish `d`, `p`, `q`...
function publicJwkOf(jwk: JWK): JWK {
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid: jwk.kid, alg: 'RS256', use: 'sig' };
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, content, { mode });
  await rename(tmp, file);
}
