import { prepared, type PoolClient } from '@vigil/postgres';
import type { ExistingRule, PlannedWrite } from './import-plan.ts';

/** SQL for rules; every function runs inside the caller's transaction. */

export interface StoredRule {
  readonly key: string;
  readonly kind: 'detection' | 'correlation';
  readonly title: string;
  readonly version: number;
  readonly enabled: boolean;
  readonly deleted: boolean;
  readonly settings: Record<string, unknown>;
  readonly source: string;
  readonly contentHash: string;
  readonly updatedAt: Date;
}

interface RuleRow {
  rule_key: string;
  kind: 'detection' | 'correlation';
  title: string;
  current_version: number;
  enabled: boolean;
  deleted: boolean;
  settings: Record<string, unknown>;
  source: string;
  content_hash: string;
  updated_at: Date;
}

const toStored = (r: RuleRow): StoredRule => ({
  key: r.rule_key, kind: r.kind, title: r.title, version: r.current_version, enabled: r.enabled, deleted: r.deleted,
  settings: r.settings, source: r.source, contentHash: r.content_hash, updatedAt: r.updated_at,
});

/** Every rule of a tenant at its current version (deleted ones too, flagged). */
export async function loadRules(client: PoolClient, tenantId: string): Promise<StoredRule[]> {
  const result = await client.query<RuleRow>(
    `SELECT r.rule_key, r.kind, r.title, r.current_version, r.enabled, r.deleted, r.settings, v.source, v.content_hash, r.updated_at
       FROM rules r JOIN rule_versions v ON v.tenant_id = r.tenant_id AND v.rule_key = r.rule_key AND v.version = r.current_version
      WHERE r.tenant_id = $1 ORDER BY r.rule_key`,
    [tenantId],
  );
  return result.rows.map(toStored);
}

export function existingIndex(rules: readonly StoredRule[]): Map<string, ExistingRule> {
  return new Map(rules.map((r) => [r.key, { key: r.key, version: r.version, contentHash: r.contentHash, deleted: r.deleted }]));
}

/** Serialises rule changes of one tenant (two imports at once would race for version numbers). */
export async function lockTenantRules(client: PoolClient, tenantId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [`rules:${tenantId}`]);
}

/** Writes planned versions: history rows are only ever inserted; `rules` moves its pointer. */
export async function writeVersions(client: PoolClient, tenantId: string, actor: string, writes: readonly PlannedWrite[]): Promise<void> {
  for (const w of writes) {
    await client.query(
      `INSERT INTO rules (tenant_id, rule_key, kind, title, current_version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, rule_key) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, current_version = EXCLUDED.current_version, deleted = false, updated_at = now()`,
      [tenantId, w.rule.key, w.rule.kind, w.rule.title, w.version],
    );
    await client.query(
      'INSERT INTO rule_versions (tenant_id, rule_key, version, kind, title, source, content_hash, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [tenantId, w.rule.key, w.version, w.rule.kind, w.rule.title, w.source, w.contentHash, actor],
    );
  }
  if (writes.length > 0) await bumpRevision(client, tenantId);
}

export async function bumpRevision(client: PoolClient, tenantId: string): Promise<void> {
  await client.query(
    'INSERT INTO rule_set_revisions (tenant_id, revision) VALUES ($1, 1) ON CONFLICT (tenant_id) DO UPDATE SET revision = rule_set_revisions.revision + 1',
    [tenantId],
  );
}

// Read by every correlate slice: parsed once per connection.
const RULE_SET_REVISIONS = prepared('rules.set-revisions', 'SELECT tenant_id, revision FROM rule_set_revisions WHERE tenant_id = ANY($1)');

/** The rule-set revision of each tenant (0 for a tenant without rules). */
export async function ruleSetRevisions(client: PoolClient, tenantIds: readonly string[]): Promise<Map<string, number>> {
  const result = await client.query<{ tenant_id: string; revision: string }>(RULE_SET_REVISIONS([tenantIds]));
  const out = new Map(tenantIds.map((t) => [t, 0]));
  for (const row of result.rows) out.set(row.tenant_id, Number(row.revision));
  return out;
}

/** Enable or disable; false when the tenant has no such (undeleted) rule. */
export async function setEnabled(client: PoolClient, tenantId: string, key: string, enabled: boolean): Promise<boolean> {
  const result = await client.query('UPDATE rules SET enabled = $3, updated_at = now() WHERE tenant_id = $1 AND rule_key = $2 AND NOT deleted', [tenantId, key, enabled]);
  if (result.rowCount === 1) await bumpRevision(client, tenantId);
  return result.rowCount === 1;
}

/** Record who changed what, insert-only (the app role cannot rewrite it). */
export async function audit(client: PoolClient, tenantId: string, actor: string, action: string, detail: Record<string, unknown>): Promise<void> {
  await client.query('INSERT INTO audit_log (tenant_id, actor, action, detail) VALUES ($1, $2, $3, $4)', [tenantId, actor, action, JSON.stringify(detail)]);
}
