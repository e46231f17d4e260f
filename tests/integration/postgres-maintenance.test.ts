import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { adminUrlFor, createPool, maintainTables, type PoolClient } from '@vigil/postgres';
import { cli } from '../support/stack-env.ts';
import { waitFor } from '../support/wait.ts';

// As the migrator in Vigil's database: a scratch table it owns, like the product's tables.
const pool = createPool(adminUrlFor(cli.adminDatabaseUrl, 'vigil'), 'vigil-test-maintenance');
let admin: PoolClient;
const table = `maintenance_probe_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  admin.release();
  await pool.end();
});

const deadRows = async () => Number((await admin.query<{ n: string }>('SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = $1', [table])).rows[0]?.n ?? 0);

describe('postgres maintenance when the server does not vacuum', () => {
  it('vacuums and analyses a table whose dead rows pass the threshold, and only when autovacuum is off', async () => {
    admin = await pool.connect();
    await admin.query('SET ROLE vigil_migrator');
    await admin.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
    await admin.query(`INSERT INTO ${table} SELECT g, 'x' FROM generate_series(1, 2000) AS g`);
    await admin.query(`DELETE FROM ${table} WHERE id > 100`);
    // The server's statistics arrive asynchronously: wait until they show the deleted rows.
    await waitFor(async () => ((await deadRows()) >= 1900 ? true : undefined));

    const autovacuum = (await admin.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]!.autovacuum === 'on';
    const report = await maintainTables({ adminUrl: cli.adminDatabaseUrl, database: 'vigil' });
    expect(report.autovacuum).toBe(autovacuum);
    if (autovacuum) {
      // The server's job: Vigil does nothing.
      expect(report.vacuumed).toEqual([]);
      return;
    }
    expect(report.vacuumed).toContain(table);
    const vacuumed = await admin.query<{ n: string; last_vacuum: Date | null; last_analyze: Date | null }>('SELECT n_dead_tup AS n, last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = $1', [table]);
    expect(vacuumed.rows[0]).toMatchObject({ n: '0', last_vacuum: expect.any(Date), last_analyze: expect.any(Date) });
    // Below the thresholds now: a second pass leaves it alone.
    expect((await maintainTables({ adminUrl: cli.adminDatabaseUrl, database: 'vigil' })).vacuumed).not.toContain(table);
  });
});
