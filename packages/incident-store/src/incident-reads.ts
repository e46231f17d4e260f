import type { Pool } from '@vigil/postgres';

/** Reads for the incident detail view; every query names the tenant, so another tenant's id finds nothing. */
type Queryable = Pick<Pool, 'query'>;

export interface IncidentRecord {
  readonly id: string;
  readonly status: string;
  readonly assignee: string | null;
  readonly closed_at: number | null;
  readonly close_reason: string | null;
  readonly revision: number;
}

export async function readIncidentRecord(db: Queryable, tenantId: string, id: string): Promise<IncidentRecord | null> {
  const result = await db.query<{ id: string; status: string; assignee: string | null; closed_at: Date | null; close_reason: string | null; revision: string }>(
    'SELECT id, status, assignee, closed_at, close_reason, revision FROM incidents WHERE id = $1 AND tenant_id = $2',
    [id, tenantId],
  );
  const row = result.rows[0];
  if (!row) return null;
  return { id: row.id, status: row.status, assignee: row.assignee, closed_at: row.closed_at?.getTime() ?? null, close_reason: row.close_reason, revision: Number(row.revision) };
}

export interface MemberCursor {
  readonly t: number;
  readonly id: string;
}

/** Member alert ids in event-time order, keyset-paged after `after`. */
export async function readMembers(db: Queryable, tenantId: string, id: string, size: number, after: MemberCursor | null): Promise<Array<{ alert_id: string; event_time: number }>> {
  const result = await db.query<{ alert_id: string; event_time: Date }>(
    `SELECT alert_id, event_time FROM incident_members
     WHERE incident_id = $1 AND tenant_id = $2 AND ($3::timestamptz IS NULL OR (event_time, alert_id) > ($3::timestamptz, $4::text))
     ORDER BY event_time, alert_id LIMIT $5`,
    [id, tenantId, after ? new Date(after.t) : null, after?.id ?? '', size],
  );
  return result.rows.map((r) => ({ alert_id: r.alert_id, event_time: r.event_time.getTime() }));
}

/** The audit events of an incident (engine decisions and analyst changes), oldest first. */
export async function readTimeline(db: Queryable, tenantId: string, id: string, limit: number): Promise<Array<Record<string, unknown>>> {
  const result = await db.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM outbox WHERE topic = 'correlation.audit.v1' AND payload->>'incident_id' = $1 AND tenant_id = $2 ORDER BY id LIMIT $3`,
    [id, tenantId, limit],
  );
  return result.rows.map((r) => r.payload);
}

/** The rule version that fired an incident, as its author wrote it. */
export async function readRuleVersion(db: Queryable, tenantId: string, ruleKey: string, version: number): Promise<{ key: string; version: number; title: string; source: string; created_by: string } | null> {
  const result = await db.query<{ title: string; source: string; created_by: string }>(
    'SELECT title, source, created_by FROM rule_versions WHERE tenant_id = $1 AND rule_key = $2 AND version = $3',
    [tenantId, ruleKey, version],
  );
  const row = result.rows[0];
  return row ? { key: ruleKey, version, ...row } : null;
}
