import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from '@vigil/postgres';

/**
 * Cases in Postgres. The case row holds the current state; links, notes, observables and
 * the event trail are insert-only (the app role may not update or delete them). Every
 * function names the tenant, so another tenant's case id finds nothing.
 */
export const caseStatuses = ['open', 'in_progress', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export interface CaseLinks {
  readonly alert_ids: readonly string[];
  readonly incident_ids: readonly string[];
}

async function event(client: PoolClient, tenantId: string, caseId: string, actor: string, action: string, detail: object): Promise<void> {
  await client.query('INSERT INTO case_events (case_id, tenant_id, actor, action, detail) VALUES ($1, $2, $3, $4, $5)', [caseId, tenantId, actor, action, JSON.stringify(detail)]);
}

export async function addLinks(client: PoolClient, tenantId: string, caseId: string, actor: string, links: CaseLinks): Promise<number> {
  const rows = [...links.alert_ids.map((id) => ({ kind: 'alert', id })), ...links.incident_ids.map((id) => ({ kind: 'incident', id }))];
  if (rows.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO case_links (case_id, tenant_id, kind, ref_id, added_by)
     SELECT $1, $2, r.kind, r.id, $3 FROM jsonb_to_recordset($4::jsonb) AS r(kind text, id text) ON CONFLICT DO NOTHING`,
    [caseId, tenantId, actor, JSON.stringify(rows)],
  );
  if ((result.rowCount ?? 0) > 0) await event(client, tenantId, caseId, actor, 'linked', links);
  return result.rowCount ?? 0;
}

export async function createCase(client: PoolClient, tenantId: string, actor: string, title: string, links: CaseLinks): Promise<string> {
  const id = randomUUID();
  await client.query("INSERT INTO cases (id, tenant_id, title, status, created_by) VALUES ($1, $2, $3, 'open', $4)", [id, tenantId, title, actor]);
  await event(client, tenantId, id, actor, 'created', { title });
  await addLinks(client, tenantId, id, actor, links);
  return id;
}

/** Lock the case for a change; null when it is not this tenant's. */
export async function lockCase(client: PoolClient, tenantId: string, id: string): Promise<{ status: CaseStatus; assignee: string | null; title: string } | null> {
  const result = await client.query<{ status: CaseStatus; assignee: string | null; title: string }>('SELECT status, assignee, title FROM cases WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [id, tenantId]);
  return result.rows[0] ?? null;
}

export async function updateCase(client: PoolClient, tenantId: string, id: string, actor: string, change: { status?: CaseStatus; assignee?: string | null; title?: string }): Promise<void> {
  await client.query(
    `UPDATE cases SET status = COALESCE($3, status), assignee = CASE WHEN $4::boolean THEN $5 ELSE assignee END, title = COALESCE($6, title),
       updated_at = now(), revision = revision + 1 WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId, change.status ?? null, change.assignee !== undefined, change.assignee ?? null, change.title ?? null],
  );
  await event(client, tenantId, id, actor, 'updated', change);
}

export async function addNote(client: PoolClient, tenantId: string, id: string, actor: string, body: string): Promise<void> {
  await client.query('INSERT INTO case_notes (case_id, tenant_id, author, body) VALUES ($1, $2, $3, $4)', [id, tenantId, actor, body]);
  await client.query('UPDATE cases SET updated_at = now(), revision = revision + 1 WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  await event(client, tenantId, id, actor, 'noted', { length: body.length });
}

export async function addObservable(client: PoolClient, tenantId: string, id: string, actor: string, kind: string, value: string): Promise<boolean> {
  const result = await client.query('INSERT INTO case_observables (case_id, tenant_id, kind, value, added_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [id, tenantId, kind, value, actor]);
  if (result.rowCount !== 1) return false;
  await client.query('UPDATE cases SET updated_at = now(), revision = revision + 1 WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  await event(client, tenantId, id, actor, 'observable_added', { kind, value });
  return true;
}

const ms = (d: Date | null) => (d ? d.getTime() : null);

export async function readCase(pool: Pool, tenantId: string, id: string): Promise<Record<string, unknown> | null> {
  const found = await pool.query<{ id: string; tenant_id: string; title: string; status: string; assignee: string | null; created_by: string; created_at: Date; updated_at: Date; revision: string }>(
    'SELECT * FROM cases WHERE id = $1 AND tenant_id = $2',
    [id, tenantId],
  );
  const row = found.rows[0];
  if (!row) return null;
  const [links, notes, observables, events] = await Promise.all([
    pool.query<{ kind: string; ref_id: string }>('SELECT kind, ref_id FROM case_links WHERE case_id = $1 AND tenant_id = $2 ORDER BY added_at, ref_id', [id, tenantId]),
    pool.query<{ author: string; body: string; created_at: Date }>('SELECT author, body, created_at FROM case_notes WHERE case_id = $1 AND tenant_id = $2 ORDER BY id LIMIT 500', [id, tenantId]),
    pool.query<{ kind: string; value: string; added_by: string; added_at: Date }>('SELECT kind, value, added_by, added_at FROM case_observables WHERE case_id = $1 AND tenant_id = $2 ORDER BY added_at LIMIT 1000', [id, tenantId]),
    pool.query<{ actor: string; action: string; detail: unknown; created_at: Date }>('SELECT actor, action, detail, created_at FROM case_events WHERE case_id = $1 AND tenant_id = $2 ORDER BY id LIMIT 1000', [id, tenantId]),
  ]);
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    title: row.title,
    status: row.status,
    assignee: row.assignee,
    created_by: row.created_by,
    created_at: ms(row.created_at),
    updated_at: ms(row.updated_at),
    revision: Number(row.revision),
    alert_ids: links.rows.filter((l) => l.kind === 'alert').map((l) => l.ref_id),
    incident_ids: links.rows.filter((l) => l.kind === 'incident').map((l) => l.ref_id),
    notes: notes.rows.map((n) => ({ author: n.author, body: n.body, at: ms(n.created_at) })),
    observables: observables.rows.map((o) => ({ kind: o.kind, value: o.value, added_by: o.added_by, at: ms(o.added_at) })),
    events: events.rows.map((e) => ({ actor: e.actor, action: e.action, detail: e.detail, at: ms(e.created_at) })),
  };
}

export async function listCases(pool: Pool, tenantId: string, status: CaseStatus | undefined, size: number): Promise<Array<Record<string, unknown>>> {
  const result = await pool.query<{ id: string; title: string; status: string; assignee: string | null; updated_at: Date }>(
    'SELECT id, title, status, assignee, updated_at FROM cases WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY updated_at DESC, id LIMIT $3',
    [tenantId, status ?? null, size],
  );
  return result.rows.map((r) => ({ ...r, tenant_id: tenantId, updated_at: ms(r.updated_at) }));
}

/** Which of these incident ids are this tenant's. */
export async function ownIncidentIds(pool: Pool, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const result = await pool.query<{ id: string }>('SELECT id::text AS id FROM incidents WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, ids]);
  return new Set(result.rows.map((r) => r.id));
}
