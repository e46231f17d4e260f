import { adminUrlFor, withClient } from './migrate.ts';

export interface MaintainOptions {
  /** A superuser connection to the server (database `postgres`), as for `migrate`. */
  readonly adminUrl: string;
  readonly database: string;
}

export interface MaintainReport {
  /** The server's own autovacuum runs: nothing was done. */
  readonly autovacuum: boolean;
  readonly vacuumed: readonly string[];
  readonly analyzed: readonly string[];
}

interface TableStats {
  relname: string;
  n_live_tup: string;
  n_dead_tup: string;
  n_mod_since_analyze: string;
}

/**
 * Autovacuum's own default thresholds: a table is vacuumed once its dead rows pass
 * 50 + 20% of its live ones, analysed once its changes since the last ANALYZE pass 50 + 10%.
 */
export function maintenanceDue(t: { live: number; dead: number; modified: number }): { vacuum: boolean; analyze: boolean } {
  return { vacuum: t.dead > 50 + 0.2 * t.live, analyze: t.modified > 50 + 0.1 * t.live };
}

/**
 * Vacuum and analyse Vigil's tables when the server's autovacuum is off (as on the CI
 * image: `autovacuum = off`). Without it the outbox, a queue whose rows are updated once
 * published, keeps every dead row in its pending-row index, and the relay's claim read
 * 29,662 pages (850 ms) per batch after a few runs; and no table is ever analysed, so the
 * planner works from empty statistics. Runs as the migrator, which owns the tables (the
 * app role cannot vacuum). With autovacuum on it does nothing: that is the server's job.
 */
export async function maintainTables(options: MaintainOptions): Promise<MaintainReport> {
  return withClient(adminUrlFor(options.adminUrl, options.database), async (client) => {
    const setting = await client.query<{ autovacuum: string }>('SHOW autovacuum');
    if (setting.rows[0]?.autovacuum === 'on') return { autovacuum: true, vacuumed: [], analyzed: [] };
    await client.query('SET ROLE vigil_migrator');
    const stats = await client.query<TableStats>("SELECT relname, n_live_tup, n_dead_tup, n_mod_since_analyze FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname");
    const vacuumed: string[] = [];
    const analyzed: string[] = [];
    for (const t of stats.rows) {
      const due = maintenanceDue({ live: Number(t.n_live_tup), dead: Number(t.n_dead_tup), modified: Number(t.n_mod_since_analyze) });
      const table = client.escapeIdentifier(t.relname);
      if (due.vacuum) {
        await client.query(`VACUUM (ANALYZE) ${table}`);
        vacuumed.push(t.relname);
      } else if (due.analyze) {
        await client.query(`ANALYZE ${table}`);
        analyzed.push(t.relname);
      }
    }
    return { autovacuum: false, vacuumed, analyzed };
  });
}
