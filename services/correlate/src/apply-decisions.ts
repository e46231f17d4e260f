import { topics } from '@vigil/contracts';
import { MAX_ALERT_IDS, joinedIncident, openedIncident, type EngineDecision } from '@vigil/detection';
import type { PoolClient } from '@vigil/postgres';
import type { CorrelateMetrics } from './correlate-metrics.ts';
import { auditEvent } from './incident-core.ts';
import { lockIncident, saveIncidentChange } from '@vigil/incident-store';
import { enqueueAll, recordLate } from './incident-store.ts';

/**
 * Makes the engine's decisions durable in the caller's transaction: incidents (each
 * change one outbox row), late alerts, and one audit event per decision.
 */
export async function applyDecisions(client: PoolClient, tenantId: string, decisions: readonly EngineDecision[], watermark: number, now: number, metrics: CorrelateMetrics): Promise<void> {
  const audits = [];
  for (const d of decisions) {
    metrics.decisions.inc({ decision: d.kind });
    let override: 'reopened' | undefined;
    if (d.kind === 'ignored') {
      audits.push(auditEvent(tenantId, d, now, watermark));
      continue;
    }
    if (d.dropped > 0) metrics.dropped.inc(d.dropped);
    if (d.kind === 'opened' && d.node.raisesIncidents) {
      const incident = openedIncident(tenantId, d, now);
      await saveIncidentChange(client, incident, d.effect.members, topics.incidents.name);
    } else if (d.kind === 'joined' && d.node.raisesIncidents) {
      const effect = d.effect;
      const locked = await lockIncident(client, effect.episode.id, MAX_ALERT_IDS);
      if (locked) {
        const { incident, reopened } = joinedIncident(locked.incident, d, locked.closedAt, now);
        await saveIncidentChange(client, incident, [effect.member], topics.incidents.name);
        if (reopened) override = 'reopened';
      }
    } else if (d.kind === 'late' && d.eventId !== null && d.eventTime !== null) {
      metrics.late.inc({ tenant: tenantId });
      await recordLate(client, tenantId, d.eventId, d.node.key, d.node.version, d.eventTime, watermark);
    }
    audits.push(auditEvent(tenantId, d, now, watermark, override));
  }
  await enqueueAll(client, topics.correlationAudit.name, audits);
}
