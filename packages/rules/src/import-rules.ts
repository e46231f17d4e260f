import { inTransaction, type Pool } from '@vigil/postgres';
import { planImport, type ImportResult } from './import-plan.ts';
import { entriesOf } from './rule-set-loader.ts';
import { audit, existingIndex, loadRules, lockTenantRules, writeVersions } from './rule-store.ts';

export interface ImportReport {
  readonly imported: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly rules: readonly ImportResult[];
}

/**
 * Imports a Sigma file into a tenant's rules in one transaction: the valid documents are
 * stored (new rules enabled), the rejected ones reported with every reason; the change is
 * audited with who did it.
 */
export async function importRules(pool: Pool, tenantId: string, actor: string, text: string): Promise<ImportReport> {
  return inTransaction(pool, async (client) => {
    await lockTenantRules(client, tenantId);
    const stored = await loadRules(client, tenantId);
    const others = entriesOf(stored.filter((r) => !r.deleted)).entries;
    const plan = planImport(text, existingIndex(stored), others);
    await writeVersions(client, tenantId, actor, plan.writes);
    const count = (status: ImportResult['status']) => plan.results.filter((r) => r.status === status).length;
    const report = { imported: count('imported'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected'), rules: plan.results };
    if (plan.writes.length > 0) {
      await audit(client, tenantId, actor, 'rules.import', { changed: plan.writes.map((w) => ({ rule: w.rule.key, version: w.version })), rejected: report.rejected });
    }
    return report;
  });
}
