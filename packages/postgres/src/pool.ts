import pg from 'pg';
import type { PostgresConnection } from '@vigil/config';
import { dependencyUnavailable, isPostgresOutage } from '@vigil/errors';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/**
 * pg's pool settings for a connection. TLS comes from `loadStoreConnections` (CA read
 * once; sslmode already taken out of the URL, so pg cannot override it or read files per
 * connection): the chain is always verified; verify-ca skips only the host name check.
 */
export function poolConfig(target: string | PostgresConnection, applicationName: string, max: number): pg.PoolConfig {
  const connection: PostgresConnection = typeof target === 'string' ? { connectionString: target, ssl: null } : target;
  const { ssl } = connection;
  return {
    connectionString: connection.connectionString,
    application_name: applicationName,
    max,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    ...(ssl
      ? { ssl: { rejectUnauthorized: true, ...(ssl.ca === undefined ? {} : { ca: ssl.ca }), ...(ssl.verifyHost ? {} : { checkServerIdentity: () => undefined }) } }
      : {}),
  };
}

export function createPool(target: string | PostgresConnection, applicationName: string, max = 10): Pool {
  const pool = new pg.Pool(poolConfig(target, applicationName, max));
  // An idle client losing its connection must not crash the process; the next query fails instead.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: pg-pool listens only on idle clients, so a connection reset
  // between two queries of a transaction was an unhandled 'error' that killed the worker.
  // The pending or next query rejects (an outage: the stage pauses), and release() drops
  // the client because it is no longer queryable.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}


/**
 * Run `work` in one transaction. Connectivity failures (and serialization failures,
 * which succeed on retry) become DEPENDENCY_UNAVAILABLE (the stage pauses); anything else,
 * a JS error without a code included, propagates as is and counts as a bug.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw dependencyUnavailable('postgres', err);
  }
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw isPostgresOutage(err) ? dependencyUnavailable('postgres', err) : err;
  } finally {
    client.release();
  }
}

export async function postgresHealthy(pool: Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
