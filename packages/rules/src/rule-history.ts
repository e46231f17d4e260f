import type { PoolClient } from '@vigil/postgres';

/** One stored version of a rule (history rows are insert-only). */
export interface RuleVersion {
  readonly version: number;
  readonly title: string;
  readonly source: string;
  readonly contentHash: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

interface VersionRow {
  version: number;
  title: string;
  source: string;
  content_hash: string;
  created_by: string;
  created_at: Date;
}

const toVersion = (r: VersionRow): RuleVersion => ({ version: r.version, title: r.title, source: r.source, contentHash: r.content_hash, createdBy: r.created_by, createdAt: r.created_at });

/** Every version of a rule, newest first (empty when the tenant has no such rule). */
export async function ruleHistory(client: PoolClient, tenantId: string, key: string): Promise<RuleVersion[]> {
  const result = await client.query<VersionRow>(
    'SELECT version, title, source, content_hash, created_by, created_at FROM rule_versions WHERE tenant_id = $1 AND rule_key = $2 ORDER BY version DESC',
    [tenantId, key],
  );
  return result.rows.map(toVersion);
}

export async function ruleVersion(client: PoolClient, tenantId: string, key: string, version: number): Promise<RuleVersion | null> {
  const result = await client.query<VersionRow>(
    'SELECT version, title, source, content_hash, created_by, created_at FROM rule_versions WHERE tenant_id = $1 AND rule_key = $2 AND version = $3',
    [tenantId, key, version],
  );
  return result.rows[0] ? toVersion(result.rows[0]) : null;
}

export interface AuditEntry {
  readonly id: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: Record<string, unknown>;
  readonly at: Date;
}

/** The tenant's rule audit trail, newest first; `rule` narrows it to entries naming that rule. */
export async function readAudit(client: PoolClient, tenantId: string, filter: { rule?: string | undefined; limit: number; before?: string | undefined }): Promise<AuditEntry[]> {
  const result = await client.query<{ id: string; actor: string; action: string; detail: Record<string, unknown>; created_at: Date }>(
    `SELECT id, actor, action, detail, created_at FROM audit_log
      WHERE tenant_id = $1 AND action LIKE 'rules.%'
        AND ($2::text IS NULL OR detail->>'rule' = $2 OR detail->'changed' @> jsonb_build_array(jsonb_build_object('rule', $2::text)))
        AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [tenantId, filter.rule ?? null, filter.before ?? null, filter.limit],
  );
  return result.rows.map((r) => ({ id: String(r.id), actor: r.actor, action: r.action, detail: r.detail, at: r.created_at }));
}
