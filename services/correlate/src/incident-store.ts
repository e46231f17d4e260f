import type { CorrelationAudit } from '@vigil/contracts';
import type { PoolClient } from '@vigil/postgres';

/**
 * SQL for the correlation stage; every function runs inside the caller's transaction.
 * The incident rows themselves (lock, save with its outbox row) are in @vigil/incident-store.
 */

/** Record that `consumer` handled `eventId`; false if it already had (a redelivery). */
export async function markProcessed(client: PoolClient, consumer: string, eventId: string): Promise<boolean> {
  const result = await client.query('INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [consumer, eventId]);
  return result.rowCount === 1;
}

const ts = (ms: number) => new Date(ms);

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
