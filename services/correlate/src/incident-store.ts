import type { CorrelationAudit, Incident } from '@vigil/contracts';
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
}

export interface LockedIncident {
  readonly incident: Incident;
  readonly closedAt: number | null;
}

export async function lockIncident(client: PoolClient, id: string, maxIds: number): Promise<LockedIncident | null> {
  const found = await client.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [id]);
  const row = found.rows[0];
  if (!row) return null;
  const members = await client.query<{ alert_id: string }>('SELECT alert_id FROM incident_members WHERE incident_id = $1 ORDER BY event_time, alert_id LIMIT $2', [id, maxIds]);
  return {
    closedAt: row.closed_at?.getTime() ?? null,
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
    },
  };
}

const ts = (ms: number) => new Date(ms);

/** Save the incident's new state, its new members and exactly one outbox row for the change (I6). */
export async function saveIncidentChange(client: PoolClient, incident: Incident, members: ReadonlyArray<{ id: string; t: number }>, topic: string): Promise<void> {
  await client.query(
    `INSERT INTO incidents (id, tenant_id, rule_id, rule_name, group_key, status, severity, alert_count, window_start, window_end, first_seen, last_seen, revision, updated_at,
                            rule_version, group_values, tags, episode_start)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$9)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity, alert_count = EXCLUDED.alert_count,
       first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at`,
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
  await enqueue(client, incident.tenant_id, topic, `${incident.tenant_id}|${incident.id}`, incident);
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

export async function recordLate(client: PoolClient, tenantId: string, alertId: string, ruleKey: string, ruleVersion: number, eventTime: number, watermark: number): Promise<void> {
  await client.query(
    'INSERT INTO late_alerts (tenant_id, alert_id, rule_key, rule_version, event_time, watermark) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
    [tenantId, alertId, ruleKey, ruleVersion, ts(eventTime), ts(watermark)],
  );
}

/** The watermarks of these tenants (-Infinity for one never seen). */
export async function readWatermarks(client: PoolClient, tenantIds: readonly string[]): Promise<Map<string, number>> {
  const result = await client.query<{ tenant_id: string; watermark: Date }>('SELECT tenant_id, watermark FROM tenant_watermarks WHERE tenant_id = ANY($1)', [tenantIds]);
  const out = new Map(tenantIds.map((t) => [t, -Infinity]));
  for (const row of result.rows) out.set(row.tenant_id, row.watermark.getTime());
  return out;
}

/** Watermarks only move forward, whichever worker writes last. */
export async function advanceWatermarks(client: PoolClient, watermarks: ReadonlyMap<string, number>): Promise<void> {
  const rows = [...watermarks].filter(([, w]) => Number.isFinite(w)).map(([tenant, w]) => ({ tenant, w }));
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO tenant_watermarks (tenant_id, watermark)
     SELECT r.tenant, to_timestamp(r.w / 1000.0) FROM jsonb_to_recordset($1::jsonb) AS r(tenant text, w double precision)
     ON CONFLICT (tenant_id) DO UPDATE SET watermark = GREATEST(tenant_watermarks.watermark, EXCLUDED.watermark)`,
    [JSON.stringify(rows)],
  );
}

/** Groups of a tenant whose close-time window is due, locked; other workers skip them. */
export async function dueGroups(client: PoolClient, tenantId: string, watermark: number, limit: number): Promise<Array<{ state_key: string; group_key: string; group_values: Record<string, string> }>> {
  const result = await client.query<{ state_key: string; group_key: string; group_values: Record<string, string> }>(
    'SELECT state_key, group_key, group_values FROM correlation_state WHERE tenant_id = $1 AND close_at < $2 ORDER BY close_at LIMIT $3 FOR UPDATE SKIP LOCKED',
    [tenantId, ts(watermark), limit],
  );
  return result.rows;
}

/** State of a rule version that no longer runs (edited, disabled, deleted) is dropped. */
export async function dropState(client: PoolClient, tenantId: string, stateKey: string, groupKey: string): Promise<void> {
  await client.query('DELETE FROM correlation_state WHERE tenant_id = $1 AND state_key = $2 AND group_key = $3', [tenantId, stateKey, groupKey]);
}
