import { deterministicId, type CorrelationAudit } from '@vigil/contracts';
import type { EngineDecision } from '@vigil/detection';

/** One audit event per decision; its id is deterministic, so a re-published row is recognisable. */
export function auditEvent(tenantId: string, decision: EngineDecision, now: number, watermark: number, override?: CorrelationAudit['decision']): CorrelationAudit {
  const { node } = decision;
  const kind = override ?? (decision.kind === 'duplicate' ? 'counted' : decision.kind === 'opened' && !node.raisesIncidents ? 'fired' : decision.kind);
  const incidentId = decision.kind === 'opened' || decision.kind === 'joined' ? decision.effect.episode.id : null;
  const subject = decision.eventId ?? incidentId ?? 'window';
  return {
    id: deterministicId('vigil.correlation-audit', tenantId, subject, node.stateKey, decision.kind === 'ignored' ? 'ignored' : decision.groupKey, kind),
    tenant_id: tenantId,
    decision: kind,
    rule_id: node.key,
    rule_version: node.version,
    alert_id: decision.eventId,
    event_time: decision.eventTime,
    incident_id: incidentId,
    group_key: decision.kind === 'ignored' ? null : decision.groupKey,
    reason: reasonOf(decision),
    watermark,
    at: now,
  };
}

function reasonOf(decision: EngineDecision): string | null {
  if (decision.kind === 'ignored') return decision.reason;
  const effect = decision.effect;
  if (effect.kind === 'late') return `older than the watermark minus the allowed lateness (${decision.node.settings.allowedLatenessMs} ms)`;
  if (effect.kind === 'counted' || effect.kind === 'opened' || effect.kind === 'expired') return `value ${effect.value}`;
  return null;
}
