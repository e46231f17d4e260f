import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors } from 'jose';
import type { JWTVerifyGetKey, JSONWebKeySet } from 'jose';
import { dependencyUnavailable } from '@vigil/errors';

export type JwksSource =
  | { readonly url: string; readonly timeoutMs?: number; readonly cooldownMs?: number }
  | { readonly file: string };

// A slow identity provider must not hold requests for long; the cooldown caps how often
// tokens with unknown key ids can make us refetch the key set.
const defaultTimeoutMs = 3_000;
const defaultCooldownMs = 30_000;

/**
 * The only place keys come from. A file is read once, at creation, so a bad path fails
 * at start-up rather than on the first request.
 */
export function createKeySource(source: JwksSource): JWTVerifyGetKey {
  if ('file' in source) return createLocalJWKSet(readJwksFile(source.file));
  const remote = createRemoteJWKSet(new URL(source.url), {
    timeoutDuration: source.timeoutMs ?? defaultTimeoutMs,
    cooldownDuration: source.cooldownMs ?? defaultCooldownMs,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys || err instanceof errors.JOSENotSupported) throw err;
      // The key set could not be fetched or parsed: the token may be fine, so the client
      // should retry rather than be told its token is bad.
      throw dependencyUnavailable('identity provider', err);
    }
  };
}

function readJwksFile(file: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read JWKS file ${file}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    throw new Error(`JWKS file ${file} has no "keys" array`);
  }
  return parsed as JSONWebKeySet;
}
