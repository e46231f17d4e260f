import type { Pool } from '@vigil/postgres';
import type { DedupSettingsRow } from './dedup-settings.ts';

/**
 * Read a tenant's dedup_settings rows. Any failure (connection, missing table, missing
 * grant) is the store's problem, never the record's: the cache turns it into a pause.
 */
export function createSettingsLoader(pool: Pool): (tenantId: string) => Promise<readonly DedupSettingsRow[]> {
  return async (tenantId) => {
    const result = await pool.query<DedupSettingsRow>('SELECT rule_id, fields, window_seconds FROM dedup_settings WHERE tenant_id = $1', [tenantId]);
    return result.rows;
  };
}
