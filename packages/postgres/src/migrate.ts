import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface MigrateOptions {
  /** A superuser connection to the server (database `postgres`), used to create roles and the database. */
  readonly adminUrl: string;
  readonly database: string;
  readonly appPassword?: string;
}

/** The admin URL (database `postgres`) pointed at `database` instead. */
export function adminUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Bootstrap roles and the database, then apply pending migrations as the migrator
 * role. Services connect as `vigil_app`, which owns nothing and so cannot run DDL;
 * history tables grant it INSERT and SELECT only.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const { database } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name ${database}`);
  await withClient(options.adminUrl, async (client) => {
    for (const role of ['vigil_migrator', 'vigil_app']) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) await client.query(`CREATE ROLE ${role} LOGIN`);
    }
    if (options.appPassword) await client.query(`ALTER ROLE vigil_app PASSWORD ${client.escapeLiteral(options.appPassword)}`);
    const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (db.rowCount === 0) await client.query(`CREATE DATABASE ${database} OWNER vigil_migrator`);
  });

  return withClient(adminUrlFor(options.adminUrl, database), async (client) => {
    await client.query('SET ROLE vigil_migrator');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    // One migrator at a time, even when several services start together.
    await client.query('SELECT pg_advisory_lock(4242)');
    try {
      const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const pending = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql') && !done.has(f)).sort();
      for (const file of pending) {
        await client.query('BEGIN');
        try {
          await client.query(readFileSync(`${migrationsDir}${file}`, 'utf8'));
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${file} failed: ${(err as Error).message}`, { cause: err });
        }
      }
      return pending;
    } finally {
      await client.query('SELECT pg_advisory_unlock(4242)');
    }
  });
}
