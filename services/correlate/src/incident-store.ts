import type { PoolClient } from '@vigil/postgres';

/**
 * SQL for the correlation stage; every function runs inside the caller's transaction.
 * The incident rows themselves (lock, save with its outbox row) are in @vigil/incident-store.
 */

/** An alert later than its rule's allowed lateness, as recorded in late_alerts. */
export interface LateAlert {
  readonly tenant: string;
  readonly alert: string;
  readonly rule: string;
  readonly version: number;
  readonly t: number;
  readonly w: number;
}

export async function recordLate(client: PoolClient, late: readonly LateAlert[]): Promise<void> {
  if (late.length === 0) return;
  await client.query(
    `INSERT INTO late_alerts (tenant_id, alert_id, rule_key, rule_version, event_time, watermark)
     SELECT l.tenant, l.alert, l.rule, l.version, to_timestamp(l.t / 1000.0), to_timestamp(l.w / 1000.0)
       FROM jsonb_to_recordset($1::jsonb) AS l(tenant text, alert text, rule text, version int, t double precision, w double precision)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(late)],
  );
}

/**
 * Inbox rows for a slice in one statement, each with its memo (the routes an alert took,
 * for its duplicates); the ids that were new (the others are redeliveries: no-ops).
 */
export async function markProcessedAll(client: PoolClient, consumer: string, rows: ReadonlyArray<{ id: string; memo: object | null }>): Promise<Set<string>> {
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  // One JSON document with the memos nested: as a text array each memo's quotes would be escaped again.
  const result = await client.query<{ event_id: string }>(
    'INSERT INTO inbox (consumer, event_id, memo) SELECT $1, u.id, u.memo::text FROM json_to_recordset($2::json) AS u(id text, memo json) ON CONFLICT DO NOTHING RETURNING event_id',
    [consumer, JSON.stringify(unique)],
  );
  return new Set(result.rows.map((r) => r.event_id));
}

/**
 * Serialises an alert with its duplicates: the transaction correlating an alert and one
 * handling a duplicate of it take the same lock, so a duplicate is never parked after its
 * alert took the parked ones (and then waits for ever). Sorted: no lock cycle.
 */
export async function lockAlertIds(client: PoolClient, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(x, 11) AS h FROM unnest($1::text[]) AS x ORDER BY 1) AS s', [ids]);
}

/** Memos of events this consumer handled: id → memo (null: handled, took no route); absent: not handled yet. */
export async function readMemos(client: PoolClient, consumer: string, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const result = await client.query<{ event_id: string; memo: string | null }>('SELECT event_id, memo FROM inbox WHERE consumer = $1 AND event_id = ANY($2::text[])', [consumer, [...new Set(ids)]]);
  return new Map(result.rows.map((r) => [r.event_id, r.memo]));
}

export interface ParkedRepeat {
  readonly tenant: string;
  readonly canonical: string;
  readonly id: string;
  readonly t: number;
  readonly s: number;
}

/** A duplicate whose canonical alert is not correlated yet: it waits for it. */
export async function parkRepeats(client: PoolClient, repeats: readonly ParkedRepeat[]): Promise<void> {
  if (repeats.length === 0) return;
  await client.query(
    `INSERT INTO correlation_repeats (tenant_id, canonical_id, duplicate_id, event_time, score)
     SELECT r.tenant, r.canonical, r.id, to_timestamp(r.t / 1000.0), r.s FROM jsonb_to_recordset($1::jsonb) AS r(tenant text, canonical text, id text, t double precision, s int)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(repeats)],
  );
}

/** The waiting duplicates of these alerts, removed as they are taken (same transaction). */
export async function takeParkedRepeats(client: PoolClient, canonicalIds: readonly string[]): Promise<ParkedRepeat[]> {
  if (canonicalIds.length === 0) return [];
  const result = await client.query<{ tenant_id: string; canonical_id: string; duplicate_id: string; event_time: Date; score: number }>(
    'DELETE FROM correlation_repeats WHERE canonical_id = ANY($1::text[]) RETURNING tenant_id, canonical_id, duplicate_id, event_time, score',
    [[...new Set(canonicalIds)]],
  );
  return result.rows.map((r) => ({ tenant: r.tenant_id, canonical: r.canonical_id, id: r.duplicate_id, t: r.event_time.getTime(), s: r.score }));
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
