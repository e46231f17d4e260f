import type { Incident } from '@vigil/contracts';
import { prepared, type PoolClient } from '@vigil/postgres';

export interface IncidentChange {
  readonly incident: Incident;
  /** Members that joined with this change. */
  readonly members: ReadonlyArray<{ readonly id: string; readonly t: number }>;
}

const ts = (col: string) => `to_timestamp(r.${col} / 1000.0)`;

/**
 * The incidents as they are published ($1, each carries its own columns), their new
 * members ($2), and one outbox row per incident with the assignee Postgres holds: the
 * assignee is set by analysts only, so the published state carries the stored one.
 */
const SAVE_INCIDENT_CHANGES = prepared(
  'incidents.save-changes',
  `WITH saved AS (
     INSERT INTO incidents (id, tenant_id, rule_id, rule_name, group_key, status, severity, alert_count, window_start, window_end, first_seen, last_seen, revision, updated_at,
                            rule_version, group_values, tags, episode_start)
     SELECT r.id, r.tenant_id, r.rule_id, r.rule_name, r.group_key, r.status, r.severity, r.alert_count, ${ts('window_start')}, ${ts('window_end')}, ${ts('first_seen')}, ${ts('last_seen')},
            r.revision, ${ts('updated_at')}, r.rule_version, r.group_values, ARRAY(SELECT jsonb_array_elements_text(r.tags)), ${ts('window_start')}
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, tenant_id text, rule_id text, rule_name text, group_key text, status text, severity text, alert_count int,
            window_start double precision, window_end double precision, first_seen double precision, last_seen double precision, revision bigint, updated_at double precision,
            rule_version int, group_values jsonb, tags jsonb)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity, alert_count = EXCLUDED.alert_count,
       first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at
     RETURNING id, assignee
   ), members AS (
     INSERT INTO incident_members (incident_id, alert_id, tenant_id, event_time)
     SELECT m.i, m.a, m.tn, to_timestamp(m.t / 1000.0) FROM jsonb_to_recordset($2::jsonb) AS m(i uuid, a text, tn text, t double precision)
     ON CONFLICT DO NOTHING
   )
   INSERT INTO outbox (tenant_id, topic, message_key, payload)
   SELECT p->>'tenant_id', $3, (p->>'tenant_id') || '|' || s.id, p || jsonb_build_object('assignee', s.assignee)
     FROM jsonb_array_elements($1::jsonb) AS p JOIN saved s ON s.id = (p->>'id')::uuid`,
);

/**
 * Save many incident changes of one transaction in one statement: the incidents, their
 * new members, and exactly one outbox row per incident (I6). The correlate stage writes a
 * slice's incidents this way; row by row it spent most of a slice in round trips.
 */
export async function saveIncidentChanges(client: PoolClient, changes: readonly IncidentChange[], topic: string): Promise<void> {
  if (changes.length === 0) return;
  const members = changes.flatMap(({ incident, members: m }) => m.map((x) => ({ i: incident.id, a: x.id, tn: incident.tenant_id, t: x.t })));
  await client.query(SAVE_INCIDENT_CHANGES([JSON.stringify(changes.map((c) => c.incident)), JSON.stringify(members), topic]));
}
