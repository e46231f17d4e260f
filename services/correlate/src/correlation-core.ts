import { deterministicId, severityScore, type Alert, type Incident, type Severity } from '@vigil/contracts';

/**
 * The skeleton's one built-in rule, until rules become data (Sigma correlation): every
 * high or critical alert joins the incident of its rule and source (src ip, else host)
 * in a one-hour tumbling window of event time. Windows are aligned, so the same
 * alerts always land in the same incident, whatever order or how often they arrive.
 */
export const builtinRule = Object.freeze({
  id: 'vigil-builtin-high-severity-by-source',
  name: 'High-severity alerts from one source',
  windowMs: 60 * 60 * 1000,
  minScore: severityScore.high,
});

/** Member ids carried in an incident record; the full list stays in Postgres. */
export const MAX_ALERT_IDS = 100;

export type CorrelationDecision = { readonly kind: 'ignore'; readonly reason: string } | { readonly kind: 'join'; readonly incidentId: string; readonly groupKey: string; readonly windowStart: number };

export function correlationDecision(alert: Alert): CorrelationDecision {
  if (alert.severity_score < builtinRule.minScore) return { kind: 'ignore', reason: 'below high severity' };
  const groupKey = `${alert.rule_id}|${alert.src_ip ?? alert.host ?? '-'}`;
  const windowStart = Math.floor(alert.event_time / builtinRule.windowMs) * builtinRule.windowMs;
  return { kind: 'join', groupKey, windowStart, incidentId: deterministicId('vigil.incident', alert.tenant_id, builtinRule.id, groupKey, String(windowStart)) };
}

const rank = (s: Severity) => severityScore[s];

/** The incident after `alert` joined it (a new one when `current` is null). */
export function joinIncident(current: Incident | null, alert: Alert, decision: Extract<CorrelationDecision, { kind: 'join' }>, now: number): Incident {
  if (current === null) {
    return {
      id: decision.incidentId,
      tenant_id: alert.tenant_id,
      revision: 1,
      rule_id: builtinRule.id,
      rule_name: `${builtinRule.name}: ${alert.rule_name}`.slice(0, 512),
      group_key: decision.groupKey,
      status: 'open',
      severity: alert.severity,
      alert_count: 1,
      alert_ids: [alert.id],
      window_start: decision.windowStart,
      window_end: decision.windowStart + builtinRule.windowMs,
      first_seen: alert.event_time,
      last_seen: alert.event_time,
      updated_at: now,
    };
  }
  return {
    ...current,
    revision: current.revision + 1,
    severity: rank(alert.severity) > rank(current.severity) ? alert.severity : current.severity,
    alert_count: current.alert_count + 1,
    alert_ids: current.alert_ids.length < MAX_ALERT_IDS ? [...current.alert_ids, alert.id] : current.alert_ids,
    first_seen: Math.min(current.first_seen, alert.event_time),
    last_seen: Math.max(current.last_seen, alert.event_time),
    updated_at: now,
  };
}
