import type { Incident } from '@vigil/contracts';
import type { PoolClient } from '@vigil/postgres';

export interface IncidentChange {
  readonly incident: Incident;
  /** Members that joined with this change. */
  readonly members: ReadonlyArray<{ readonly id: string; readonly t: number }>;
}

/**
 * Save many incident changes of one transaction in three statements: the incidents,
 * their new members, and exactly one outbox row per incident (I6). The correlate stage
 * writes a slice's incidents this way; row by row it spent most of a slice in round trips.
 */
export async function saveIncidentChanges(client: PoolClient, changes: readonly IncidentChange[], topic: string): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map(({ incident: i }) => ({
    id: i.id, tenant_id: i.tenant_id, rule_id: i.rule_id, rule_name: i.rule_name, group_key: i.group_key, status: i.status, severity: i.severity,
    alert_count: i.alert_count, window_start: i.window_start, window_end: i.window_end, first_seen: i.first_seen, last_seen: i.last_seen,
    revision: i.revision, updated_at: i.updated_at, rule_version: i.rule_version, group_values: i.group_values, tags: i.tags,
  }));
  const ts = (col: string) => `to_timestamp(r.${col} / 1000.0)`;
  // The assignee is set by analysts only; the published state carries whatever Postgres holds.
  const saved = await client.query<{ id: string; assignee: string | null }>(
    `INSERT INTO incidents (id, tenant_id, rule_id, rule_name, group_key, status, severity, alert_count, window_start, window_end, first_seen, last_seen, revision, updated_at,
                            rule_version, group_values, tags, episode_start)
     SELECT r.id, r.tenant_id, r.rule_id, r.rule_name, r.group_key, r.status, r.severity, r.alert_count, ${ts('window_start')}, ${ts('window_end')}, ${ts('first_seen')}, ${ts('last_seen')},
            r.revision, ${ts('updated_at')}, r.rule_version, r.group_values, ARRAY(SELECT jsonb_array_elements_text(r.tags)), ${ts('window_start')}
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, tenant_id text, rule_id text, rule_name text, group_key text, status text, severity text, alert_count int,
            window_start double precision, window_end double precision, first_seen double precision, last_seen double precision, revision bigint, updated_at double precision,
            rule_version int, group_values jsonb, tags jsonb)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity, alert_count = EXCLUDED.alert_count,
       first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at
     RETURNING id, assignee`,
    [JSON.stringify(rows)],
  );
  const assignees = new Map(saved.rows.map((r) => [r.id, r.assignee]));
  const members = changes.flatMap(({ incident, members: m }) => m.map((x) => ({ i: incident.id, a: x.id, tn: incident.tenant_id, t: x.t })));
  if (members.length > 0) {
    await client.query(
      `INSERT INTO incident_members (incident_id, alert_id, tenant_id, event_time)
       SELECT m.i, m.a, m.tn, to_timestamp(m.t / 1000.0) FROM jsonb_to_recordset($1::jsonb) AS m(i uuid, a text, tn text, t double precision)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(members)],
    );
  }
  const outbox = changes.map(({ incident }) => ({ t: incident.tenant_id, k: `${incident.tenant_id}|${incident.id}`, p: { ...incident, assignee: assignees.get(incident.id) ?? null } }));
  await client.query(
    `INSERT INTO outbox (tenant_id, topic, message_key, payload)
     SELECT o.t, $1, o.k, o.p FROM jsonb_to_recordset($2::jsonb) AS o(t text, k text, p jsonb)`,
    [topic, JSON.stringify(outbox)],
  );
}
