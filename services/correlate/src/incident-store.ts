import type { Incident } from '@vigil/contracts';
import type { PoolClient } from '@vigil/postgres';

/** SQL for the correlation stage; every function runs inside the caller's transaction. */

/** Record that `consumer` handled `eventId`; false if it already had (a redelivery). */
export async function markProcessed(client: PoolClient, consumer: string, eventId: string): Promise<boolean> {
  const result = await client.query('INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [consumer, eventId]);
  return result.rowCount === 1;
}

interface IncidentRow {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_name: string;
  group_key: string;
  status: 'open' | 'closed';
  severity: Incident['severity'];
  alert_count: number;
  window_start: Date;
  window_end: Date;
  first_seen: Date;
  last_seen: Date;
  revision: string;
  updated_at: Date;
}

export async function lockIncident(client: PoolClient, id: string, maxIds: number): Promise<Incident | null> {
  const found = await client.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [id]);
  const row = found.rows[0];
  if (!row) return null;
  const members = await client.query<{ alert_id: string }>('SELECT alert_id FROM incident_members WHERE incident_id = $1 ORDER BY added_at, alert_id LIMIT $2', [id, maxIds]);
  return {
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
  };
}

const ts = (ms: number) => new Date(ms);

/** Save the new state, its new member and exactly one outbox row for the change (I6). */
export async function saveIncidentChange(client: PoolClient, incident: Incident, alertId: string, alertTime: number, topic: string): Promise<void> {
  await client.query(
    `INSERT INTO incidents (id, tenant_id, rule_id, rule_name, group_key, status, severity, alert_count, window_start, window_end, first_seen, last_seen, revision, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity, alert_count = EXCLUDED.alert_count,
       first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at`,
    [incident.id, incident.tenant_id, incident.rule_id, incident.rule_name, incident.group_key, incident.status, incident.severity, incident.alert_count,
      ts(incident.window_start), ts(incident.window_end), ts(incident.first_seen), ts(incident.last_seen), incident.revision, ts(incident.updated_at)],
  );
  await client.query('INSERT INTO incident_members (incident_id, alert_id, tenant_id, event_time) VALUES ($1, $2, $3, $4)', [incident.id, alertId, incident.tenant_id, ts(alertTime)]);
  await client.query('INSERT INTO outbox (tenant_id, topic, message_key, payload) VALUES ($1, $2, $3, $4)', [incident.tenant_id, topic, `${incident.tenant_id}|${incident.id}`, JSON.stringify(incident)]);
}

export interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: Incident;
}

/** Oldest unpublished rows, locked so two relays never publish the same row at once. */
export async function claimOutbox(client: PoolClient, limit: number): Promise<OutboxRow[]> {
  const result = await client.query<OutboxRow>('SELECT id, topic, message_key, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED', [limit]);
  return result.rows;
}

export async function markPublished(client: PoolClient, ids: readonly string[]): Promise<void> {
  await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
}
