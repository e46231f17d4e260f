import type { CorrelationAudit, Incident } from '@vigil/contracts';
import type { PoolClient } from '@vigil/postgres';

/**
 * The SQL of an incident's life, shared by the correlation stage (which opens and grows
 * incidents) and the query API (which triages them). Every function runs inside the
 * caller's transaction; every change writes exactly one outbox row with the whole
 * incident, so OpenSearch (versioned by revision) follows Postgres.
 */

interface IncidentRow {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_name: string;
  group_key: string;
  status: Incident['status'];
  severity: Incident['severity'];
  alert_count: number;
  window_start: Date;
  window_end: Date;
  first_seen: Date;
  last_seen: Date;
  revision: string;
  updated_at: Date;
  rule_version: number;
  group_values: Record<string, string>;
  tags: string[];
  closed_at: Date | null;
  close_reason: string | null;
  assignee: string | null;
}

export interface LockedIncident {
  readonly incident: Incident;
  readonly closedAt: number | null;
  readonly closeReason: string | null;
}

export async function lockIncident(client: PoolClient, id: string, maxIds: number): Promise<LockedIncident | null> {
  const found = await client.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [id]);
  const row = found.rows[0];
  if (!row) return null;
  const members = await client.query<{ alert_id: string }>('SELECT alert_id FROM incident_members WHERE incident_id = $1 ORDER BY event_time, alert_id LIMIT $2', [id, maxIds]);
  return {
    closedAt: row.closed_at?.getTime() ?? null,
    closeReason: row.close_reason,
    incident: {
      id: row.id,
      tenant_id: row.tenant_id,
      revision: Number(row.revision),
      rule_id: row.rule_id,
      rule_name: row.rule_name,
      group_key: row.group_key,
      status: row.status,
      severity: row.severity,
      alert_count: row.alert_count,
      alert_ids: members.rows.map((m) => m.alert_id),
      window_start: row.window_start.getTime(),
      window_end: row.window_end.getTime(),
      first_seen: row.first_seen.getTime(),
      last_seen: row.last_seen.getTime(),
      updated_at: row.updated_at.getTime(),
      rule_version: row.rule_version,
      group_values: row.group_values,
      tags: row.tags,
      assignee: row.assignee ?? null,
    },
  };
}

const ts = (ms: number) => new Date(ms);

/** Save the incident's new state, its new members and exactly one outbox row for the change (I6). */
export async function saveIncidentChange(client: PoolClient, incident: Incident, members: ReadonlyArray<{ id: string; t: number }>, topic: string): Promise<void> {
  // The assignee is set by analysts only; the published state carries whatever Postgres holds.
  const saved = await client.query<{ assignee: string | null }>(
    `INSERT INTO incidents (id, tenant_id, rule_id, rule_name, group_key, status, severity, alert_count, window_start, window_end, first_seen, last_seen, revision, updated_at,
                            rule_version, group_values, tags, episode_start)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$9)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity, alert_count = EXCLUDED.alert_count,
       first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at
     RETURNING assignee`,
    [incident.id, incident.tenant_id, incident.rule_id, incident.rule_name, incident.group_key, incident.status, incident.severity, incident.alert_count,
      ts(incident.window_start), ts(incident.window_end), ts(incident.first_seen), ts(incident.last_seen), incident.revision, ts(incident.updated_at),
      incident.rule_version, JSON.stringify(incident.group_values), incident.tags],
  );
  if (members.length > 0) {
    await client.query(
      `INSERT INTO incident_members (incident_id, alert_id, tenant_id, event_time)
       SELECT $1, m.id, $2, to_timestamp(m.t / 1000.0) FROM jsonb_to_recordset($3::jsonb) AS m(id text, t double precision)
       ON CONFLICT DO NOTHING`,
      [incident.id, incident.tenant_id, JSON.stringify(members.map((m) => ({ id: m.id, t: m.t })))],
    );
  }
  const published: Incident = { ...incident, assignee: saved.rows[0]?.assignee ?? null };
  await enqueue(client, incident.tenant_id, topic, `${incident.tenant_id}|${incident.id}`, published);
}

/** One outbox row: published by the relay in id order. */
export async function enqueue(client: PoolClient, tenantId: string, topic: string, key: string, payload: unknown): Promise<void> {
  await client.query('INSERT INTO outbox (tenant_id, topic, message_key, payload) VALUES ($1, $2, $3, $4)', [tenantId, topic, key, JSON.stringify(payload)]);
}

export async function enqueueAudit(client: PoolClient, events: readonly CorrelationAudit[], topic: string): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO outbox (tenant_id, topic, message_key, payload)
     SELECT e->>'tenant_id', $1, (e->>'tenant_id') || '|' || (e->>'rule_id'), e FROM jsonb_array_elements($2::jsonb) AS e`,
    [topic, JSON.stringify(events)],
  );
}
