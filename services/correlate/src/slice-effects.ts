import { topics, type CorrelationAudit, type Incident } from '@vigil/contracts';
import { MAX_ALERT_IDS, joinedIncident, openedIncident, type EngineDecision, type WindowEvent } from '@vigil/detection';
import { enqueueAll, lockIncident, lockIncidents, saveIncidentChanges, type LockedIncident } from '@vigil/incident-store';
import type { PoolClient } from '@vigil/postgres';
import type { CorrelateMetrics } from './correlate-metrics.ts';
import { auditEvent } from './incident-core.ts';
import { recordLate, type LateAlert } from './incident-store.ts';

/** Decisions that change nothing durable: counted in metrics, not published one by one. */
const quiet: ReadonlySet<EngineDecision['kind']> = new Set(['counted', 'duplicate']);

interface PendingIncident {
  incident: Incident;
  members: WindowEvent[];
}

export interface SliceEffects {
  /** Lock the incidents the slice is likely to join, in one round trip (the rest are locked as they come). */
  prefetch(ids: readonly string[]): Promise<void>;
  apply(tenantId: string, decisions: readonly EngineDecision[], watermark: number): Promise<void>;
  /** Write everything the slice decided: each changed incident once, with one outbox row. Returns the outbox rows written. */
  flush(): Promise<number>;
}

/**
 * Makes a slice's decisions durable in its transaction. An incident changed by several
 * alerts of the slice is written once, as its state at the end of the transaction, with
 * one outbox row (one change, invariant I6): a burst of 500 alerts joining one incident
 * is one revision, not 500. Late alerts and audit events go in one statement each.
 */
export function createSliceEffects(client: PoolClient, metrics: CorrelateMetrics, now: number): SliceEffects {
  const incidents = new Map<string, PendingIncident>();
  const prefetched = new Map<string, LockedIncident>();
  const late: LateAlert[] = [];
  const audits: CorrelationAudit[] = [];

  async function current(id: string): Promise<{ pending: PendingIncident; closedAt: number | null } | null> {
    const pending = incidents.get(id);
    if (pending) return { pending, closedAt: null };
    const locked = prefetched.get(id) ?? (await lockIncident(client, id, MAX_ALERT_IDS));
    if (!locked) return null;
    const fresh = { incident: locked.incident, members: [] };
    incidents.set(id, fresh);
    return { pending: fresh, closedAt: locked.closedAt };
  }

  return {
    async prefetch(ids) {
      const wanted = ids.filter((id) => !incidents.has(id) && !prefetched.has(id));
      for (const [id, locked] of await lockIncidents(client, wanted, MAX_ALERT_IDS)) prefetched.set(id, locked);
    },
    async apply(tenantId, decisions, watermark) {
      for (const d of decisions) {
        metrics.decisions.inc({ decision: d.kind });
        let override: 'reopened' | undefined;
        if (d.kind !== 'ignored' && d.dropped > 0) metrics.dropped.inc(d.dropped);
        if (d.kind === 'opened' && d.node.raisesIncidents) {
          incidents.set(d.effect.episode.id, { incident: openedIncident(tenantId, d, now), members: [...d.effect.members] });
        } else if (d.kind === 'joined' && d.node.raisesIncidents) {
          const found = await current(d.effect.episode.id);
          if (found) {
            const { incident, reopened } = joinedIncident(found.pending.incident, d, found.closedAt, now);
            found.pending.incident = incident;
            found.pending.members.push(d.effect.member);
            if (reopened) override = 'reopened';
          }
        } else if (d.kind === 'late' && d.eventId !== null && d.eventTime !== null) {
          metrics.late.inc({ tenant: tenantId });
          late.push({ tenant: tenantId, alert: d.eventId, rule: d.node.key, version: d.node.version, t: d.eventTime, w: watermark });
        }
        if (!quiet.has(d.kind)) audits.push(auditEvent(tenantId, d, now, watermark, override));
      }
    },
    async flush() {
      await saveIncidentChanges(client, [...incidents.values()], topics.incidents.name);
      await recordLate(client, late);
      await enqueueAll(client, topics.correlationAudit.name, audits);
      return incidents.size + audits.length;
    },
  };
}
