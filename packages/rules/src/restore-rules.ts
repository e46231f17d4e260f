import { inTransaction, type Pool } from '@vigil/postgres';
import { planImport, type ImportResult } from './import-plan.ts';
import type { RuleBackup } from './rule-backup.ts';
import { entriesOf } from './rule-set-loader.ts';
import { audit, bumpRevision, existingIndex, loadRules, lockTenantRules, writeVersions } from './rule-store.ts';

export type RestoreOutcome =
  | { readonly ok: true; readonly restored: number; readonly newVersions: number; readonly unchanged: number }
  | { readonly ok: false; readonly rejected: readonly ImportResult[] };

/**
 * Brings the caller's tenant's rules to the backup's content, enabled state and
 * settings, all or nothing: a rule that changed gets a new version (history is kept), an
 * identical one stays as it is. Rules the file does not hold are left alone. Audited with
 * the file's checksum, origin tenant and exporting version.
 */
export async function restoreRules(pool: Pool, tenantId: string, actor: string, backup: RuleBackup): Promise<RestoreOutcome> {
  return inTransaction(pool, async (client) => {
    await lockTenantRules(client, tenantId);
    const stored = await loadRules(client, tenantId);
    const text = backup.rules.map((r) => `${r.source.trimEnd()}\n`).join('---\n');
    const plan = planImport(text, existingIndex(stored), entriesOf(stored.filter((r) => !r.deleted)).entries);
    const rejected = plan.results.filter((r) => r.status === 'rejected');
    if (rejected.length > 0) return { ok: false, rejected };
    await writeVersions(client, tenantId, actor, plan.writes);
    for (const rule of backup.rules) {
      await client.query('UPDATE rules SET enabled = $3, settings = $4, updated_at = now() WHERE tenant_id = $1 AND rule_key = $2', [tenantId, rule.id, rule.enabled, JSON.stringify(rule.settings)]);
    }
    await bumpRevision(client, tenantId);
    await audit(client, tenantId, actor, 'rules.restore', {
      checksum: backup.checksum,
      from_tenant: backup.tenant_id,
      vigil_version: backup.vigil_version,
      exported_at: backup.created_at,
      rules: backup.rules.length,
      changed: plan.writes.map((w) => ({ rule: w.rule.key, version: w.version })),
    });
    return { ok: true, restored: backup.rules.length, newVersions: plan.writes.length, unchanged: plan.results.filter((r) => r.status === 'unchanged').length };
  });
}
