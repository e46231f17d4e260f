import { randomUUID } from 'node:crypto';
import type { Alert, Incident } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { saveIncidentChange } from '@vigil/incident-store';
import { inTransaction, type Pool } from '@vigil/postgres';
import { INCIDENT_INDEX, alertIndexFor, type SearchClient } from '@vigil/search';

/**
 * Look-alike data for tenant-isolation tests: every tenant gets alerts with the same rule
 * ids, hosts, addresses and labels, plus one marker value only it holds, written straight
 * to OpenSearch (a private day's index) and incidents in Postgres and OpenSearch.
 */
export interface Seeded {
  readonly alertIds: string[];
  readonly incidentIds: string[];
  readonly marker: string;
}

export function lookAlikeAlert(tenant: string, i: number, day: number, marker: string): Alert {
  return {
    ...sampleAlert(),
    id: randomUUID(),
    tenant_id: tenant,
    rule_id: `rule-${i % 3}`,
    rule_name: `Look-alike rule ${i % 3} ${marker}`,
    severity: (['low', 'medium', 'high'] as const)[i % 3]!,
    severity_score: [30, 50, 75][i % 3]!,
    event_time: day + i * 1000,
    received_time: day + i * 1000,
    src_ip: `10.0.${i % 4}.${i % 250}`,
    src_port: 40000 + i,
    dst_ip: '192.168.1.10',
    dst_port: 443,
    host: i === 0 ? `only-${marker}` : `host-${i % 2}`,
    user_name: 'alice',
    domain: 'shared.example',
    labels: { env: 'prod', owner: marker },
    dedup_count: 1 + (i % 2),
  };
}

export async function seedTenant(search: SearchClient, pool: Pool, tenant: string, day: number, count: number, marker: string): Promise<Seeded> {
  const alerts = Array.from({ length: count }, (_, i) => lookAlikeAlert(tenant, i, day, marker));
  const body = alerts.flatMap((a) => [{ index: { _index: alertIndexFor(a.event_time), _id: a.id } }, { ...a, first_seen: null, last_seen: null, indexed_at: Date.now() }]);
  const bulk = await search.bulk({ body, refresh: 'wait_for' });
  if ((bulk.body as { errors: boolean }).errors) throw new Error(`seeding alerts failed: ${JSON.stringify(bulk.body).slice(0, 500)}`);
  const incidentIds: string[] = [];
  for (let k = 0; k < 2; k++) {
    const members = alerts.filter((_, i) => i % 2 === k);
    const incident: Incident = {
      id: randomUUID(), tenant_id: tenant, revision: 1, rule_id: 'look-alike-correlation', rule_name: `Look-alike ${marker}`, group_key: `host=host-${k}`, status: 'open', severity: 'high',
      alert_count: members.length, alert_ids: members.map((m) => m.id), window_start: day, window_end: day + 600_000, first_seen: day, last_seen: day + count * 1000, updated_at: day + count * 1000,
      rule_version: 1, group_values: { host: `host-${k}` }, tags: ['attack.t1110'], assignee: k === 0 ? `analyst-${marker}` : null,
    };
    await inTransaction(pool, (client) => saveIncidentChange(client, incident, members.map((m) => ({ id: m.id, t: m.event_time })), 'correlations.v1'));
    if (k === 0) await pool.query('UPDATE incidents SET assignee = $2 WHERE id = $1', [incident.id, incident.assignee]);
    await search.index({ index: INCIDENT_INDEX, id: incident.id, body: incident, version: incident.revision, version_type: 'external', refresh: 'wait_for' });
    incidentIds.push(incident.id);
  }
  return { alertIds: alerts.map((a) => a.id), incidentIds, marker };
}
