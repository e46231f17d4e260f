import pg from 'pg';
import { dependencyUnavailable } from '@vigil/errors';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(connectionString: string, applicationName: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString, application_name: applicationName, max, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the next query fails instead.
  pool.on('error', () => undefined);
  return pool;
}

/** SQLSTATE classes that mean "try again": the database is not there, or lost a race. */
function isConnectivity(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return true;
  // 40001/40P01: a serialization failure or deadlock victim; the same work succeeds on retry.
  return code.startsWith('08') || code.startsWith('57P') || code === '53300' || code === '40001' || code === '40P01' || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code);
}

/**
 * Run `work` in one transaction. Connectivity failures become DEPENDENCY_UNAVAILABLE
 * (the stage pauses); anything else propagates as is.
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
    throw isConnectivity(err) ? dependencyUnavailable('postgres', err) : err;
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
