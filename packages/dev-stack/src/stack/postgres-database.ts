import { LOCAL_HOST, POSTGRES_PORT, POSTGRES_USER } from './ports.ts';
import { isCommandMissing, runCommand } from './run-command.ts';

// Through the psql client rather than a driver: the CLI stays free of database
// dependencies, and psql is there wherever the Debian PostgreSQL server is.

async function psql(sql: string): Promise<string> {
  const args = ['-h', LOCAL_HOST, '-p', String(POSTGRES_PORT), '-U', POSTGRES_USER, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAc', sql];
  let result;
  try {
    result = await runCommand('psql', args, { timeoutMs: 30_000 });
  } catch (error) {
    if (isCommandMissing(error)) throw new Error('psql not found: install the PostgreSQL client (Debian: apt-get install postgresql-client)');
    throw error;
  }
  if (result.code !== 0) throw new Error(`psql failed: ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout.trim();
}

/** Creates the database if it does not exist yet; returns true when it was created. */
export async function ensureDatabase(name: string): Promise<boolean> {
  // Identifiers cannot be bound as parameters; restrict the name instead of quoting it.
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing unusual database name ${JSON.stringify(name)}`);
  if ((await psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)) === '1') return false;
  await psql(`CREATE DATABASE ${name}`);
  return true;
}
