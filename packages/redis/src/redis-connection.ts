import type { ConnectionOptions } from 'node:tls';
import type { RedisConnection } from '@vigil/config';

/** A plain URL (tests, tools) or the connection from `loadStoreConnections` (adds the CA). */
export type RedisTarget = string | RedisConnection;

/**
 * What every ioredis client of Vigil is built from: the URL (which carries the ACL user
 * and password; `rediss://` already means TLS to ioredis) and, for TLS, the trust: the
 * chain is always verified, against the configured CA when there is one.
 */
export function redisTransport(target: RedisTarget): { readonly url: string; readonly tls?: ConnectionOptions } {
  const connection = typeof target === 'string' ? { url: target, tls: null } : target;
  if (connection.tls === null) return { url: connection.url };
  return { url: connection.url, tls: { rejectUnauthorized: true, ...(connection.tls.ca === undefined ? {} : { ca: connection.tls.ca }) } };
}
