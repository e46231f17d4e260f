import { parseDocuments } from '@vigil/detection';
import { inTransaction, type Pool, type PoolClient } from '@vigil/postgres';
import { planImport, type ImportResult } from './import-plan.ts';
import { entriesOf } from './rule-set-loader.ts';
import { audit, bumpRevision, existingIndex, loadRules, lockTenantRules, writeVersions, type StoredRule } from './rule-store.ts';

/** Why a lifecycle change did not happen; the API maps each to an error code. */
export type ChangeRefusal =
  | { readonly kind: 'not-found' }
  | { readonly kind: 'invalid'; readonly message: string; readonly report?: ImportResult }
  | { readonly kind: 'conflict'; readonly message: string };

export type ChangeOutcome = { readonly ok: true; readonly rule: string; readonly version: number; readonly status: ImportResult['status'] } | ({ readonly ok: false } & ChangeRefusal);

export type SaveMode = { readonly kind: 'create' } | { readonly kind: 'change'; readonly key: string; readonly baseVersion?: number | undefined };

const refuse = (r: ChangeRefusal): ChangeOutcome => ({ ok: false, ...r });

/**
 * Create a rule, or change one (a new version; the old ones stay in history), from one
 * Sigma document. A change names the rule it edits; `baseVersion` guards against
 * overwriting someone else's edit made since the author loaded the rule.
 */
export async function saveRule(pool: Pool, tenantId: string, actor: string, text: string, mode: SaveMode): Promise<ChangeOutcome> {
  const parsed = parseDocuments(text);
  if (parsed.documents.length > 1) {
    return refuse({ kind: 'invalid', message: `send exactly one Sigma document (got ${parsed.documents.length}); use POST /v1/rules/import for a file of several` });
  }
  return inTransaction(pool, async (client) => {
    await lockTenantRules(client, tenantId);
    const stored = await loadRules(client, tenantId);
    const current = mode.kind === 'change' ? stored.find((r) => r.key === mode.key && !r.deleted) : undefined;
    if (mode.kind === 'change' && !current) return refuse({ kind: 'not-found' });
    const plan = planImport(text, existingIndex(stored), entriesOf(stored.filter((r) => !r.deleted)).entries);
    const result = plan.results[0];
    if (!result || result.status === 'rejected') {
      const first = result?.problems?.[0];
      return refuse({ kind: 'invalid', message: first ? `${first.path}${first.line ? ` (line ${first.line})` : ''}: ${first.message}` : 'the document holds no rule', ...(result ? { report: result } : {}) });
    }
    if (mode.kind === 'create' && stored.some((r) => r.key === result.key && !r.deleted)) {
      return refuse({ kind: 'conflict', message: `rule ${result.key} exists; change it with PUT /v1/rules/${result.key}` });
    }
    if (mode.kind === 'change') {
      if (result.key !== mode.key) return refuse({ kind: 'invalid', message: `the document's id/name/title makes it rule ${result.key}, not ${mode.key}` });
      if (mode.baseVersion !== undefined && mode.baseVersion !== current!.version) {
        return refuse({ kind: 'conflict', message: `rule ${mode.key} is at version ${current!.version}, not ${mode.baseVersion}: someone changed it since; reload and apply your edit again` });
      }
    }
    await writeVersions(client, tenantId, actor, plan.writes);
    const after = plan.writes[0];
    if (after) {
      const before = stored.find((r) => r.key === result.key);
      await audit(client, tenantId, actor, mode.kind === 'create' ? 'rules.create' : 'rules.change', {
        rule: result.key,
        before: before ? { version: before.version, content_hash: before.contentHash, deleted: before.deleted } : null,
        after: { version: after.version, content_hash: after.contentHash },
      });
    }
    return { ok: true, rule: result.key!, version: result.version!, status: result.status };
  });
}

async function currentRule(client: PoolClient, tenantId: string, key: string): Promise<StoredRule | undefined> {
  return (await loadRules(client, tenantId)).find((r) => r.key === key && !r.deleted);
}

/** Soft delete: the rule stops running and leaves the list; its versions stay in history. */
export async function deleteRule(pool: Pool, tenantId: string, actor: string, key: string): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await lockTenantRules(client, tenantId);
    const rule = await currentRule(client, tenantId, key);
    if (!rule) return false;
    await client.query('UPDATE rules SET deleted = true, updated_at = now() WHERE tenant_id = $1 AND rule_key = $2', [tenantId, key]);
    await bumpRevision(client, tenantId);
    await audit(client, tenantId, actor, 'rules.delete', { rule: key, before: { deleted: false, version: rule.version, enabled: rule.enabled }, after: { deleted: true } });
    return true;
  });
}

/** Replace a rule's settings (allowed_lateness_ms, reopen_ms, severity_override); null when there is no such rule. */
export async function updateSettings(pool: Pool, tenantId: string, actor: string, key: string, settings: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  return inTransaction(pool, async (client) => {
    await lockTenantRules(client, tenantId);
    const rule = await currentRule(client, tenantId, key);
    if (!rule) return null;
    await client.query('UPDATE rules SET settings = $3, updated_at = now() WHERE tenant_id = $1 AND rule_key = $2', [tenantId, key, JSON.stringify(settings)]);
    await bumpRevision(client, tenantId);
    await audit(client, tenantId, actor, 'rules.settings', { rule: key, before: rule.settings, after: settings });
    return settings;
  });
}
