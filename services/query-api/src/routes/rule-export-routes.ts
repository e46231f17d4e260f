import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import { inTransaction, type Pool } from '@vigil/postgres';
import { createBackup, exportSigma, loadRules, restoreRules, verifyBackup } from '@vigil/rules';

const keyPattern = /^[\w.:-]{1,128}$/;
/** A backup of thousands of rules with their sources. */
const MAX_BACKUP_BYTES = 8 * 1024 * 1024;

/**
 * Sigma export: `?id=a&id=b` (or `?id=a,b`) for a selection, nothing for the tenant's
 * whole set. A named rule the tenant does not have is 404, as for any other read.
 */
export function registerRuleExportRoutes(app: FastifyInstance, pool: Pool): void {
  app.get('/v1/rules/export', async (request, reply) => {
    const tenant = principalOf(request).tenantId;
    const raw = (request.query as { id?: string | string[] }).id;
    const wanted = raw === undefined ? null : [...new Set((Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
    const rules = (await inTransaction(pool, (client) => loadRules(client, tenant))).filter((r) => !r.deleted);
    let selected = rules;
    if (wanted) {
      const missing = wanted.find((id) => !keyPattern.test(id) || !rules.some((r) => r.key === id));
      if (missing !== undefined) throw new VigilError('NOT_FOUND', `no rule ${missing.slice(0, 128)} for this tenant`);
      selected = rules.filter((r) => wanted.includes(r.key));
    }
    return reply.header('content-type', 'application/yaml; charset=utf-8').header('x-vigil-rule-count', String(selected.length)).send(exportSigma(selected));
  });
}

/** Admin only (admin:rules): the tenant's rules and settings as a checksummed file, and restoring one. */
export function registerRuleBackupRoutes(app: FastifyInstance, pool: Pool, vigilVersion: string): void {
  app.get('/v1/rules/backup', async (request) => {
    const principal = principalOf(request);
    const rules = await inTransaction(pool, (client) => loadRules(client, principal.tenantId));
    return createBackup(rules, { tenantId: principal.tenantId, actor: principal.subject, vigilVersion, now: Date.now() });
  });

  // Always into the caller's own tenant: the target never comes from the file or the URL.
  app.post('/v1/rules/restore', { bodyLimit: MAX_BACKUP_BYTES }, async (request) => {
    const principal = principalOf(request);
    const check = verifyBackup(request.body);
    if (!check.ok) throw new VigilError('BACKUP_REJECTED', check.reason);
    const outcome = await restoreRules(pool, principal.tenantId, principal.subject, check.backup);
    if (!outcome.ok) {
      const first = outcome.rejected[0]!;
      throw new VigilError('BACKUP_REJECTED', `rule ${first.key ?? `document ${first.document}`} no longer compiles: ${first.problems?.[0]?.message ?? 'unknown'}; nothing was restored`);
    }
    return { restored: outcome.restored, new_versions: outcome.newVersions, unchanged: outcome.unchanged, checksum: check.backup.checksum };
  });
}
