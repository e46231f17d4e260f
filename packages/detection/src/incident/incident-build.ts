import { severityFromScore, severityScore, type Incident, type Severity } from '@vigil/contracts';
import type { CorrelationNode } from '../correlation/correlation-node.ts';
import type { EngineDecision } from '../correlation/engine.ts';
import type { WindowEvent } from '../correlation/window-state.ts';

// Shared by the live correlate stage and simulation, so both build the same incidents
// (same ids, members and severity) from the same engine decisions.

/** Member ids carried in an incident record; the full list stays in Postgres. */
export const MAX_ALERT_IDS = 100;

const higher = (a: Severity, b: Severity): Severity => (severityScore[a] >= severityScore[b] ? a : b);

/** The rule's level (or its override) raised by the most severe member alert. */
export function incidentSeverity(node: CorrelationNode, members: readonly WindowEvent[]): Severity {
  const base = node.settings.severityOverride ?? node.level ?? 'medium';
  return members.reduce<Severity>((acc, m) => higher(acc, severityFromScore(m.s)), base);
}

type Opened = Extract<EngineDecision, { kind: 'opened' }>;
type Joined = Extract<EngineDecision, { kind: 'joined' }>;

/** The incident a correlation's firing opens. */
export function openedIncident(tenantId: string, decision: Opened, now: number): Incident {
  const effect = decision.effect;
  const { node } = decision;
  const members = effect.members;
  return {
    id: effect.episode.id,
    tenant_id: tenantId,
    revision: 1,
    rule_id: node.key,
    rule_name: node.title.slice(0, 512),
    group_key: decision.groupKey,
    status: 'open',
    severity: incidentSeverity(node, members),
    alert_count: members.length,
    alert_ids: members.slice(0, MAX_ALERT_IDS).map((m) => m.id),
    window_start: effect.episode.start,
    window_end: effect.episode.start + node.spec.timespanMs,
    first_seen: effect.episode.first,
    last_seen: effect.episode.last,
    updated_at: now,
    rule_version: node.version,
    group_values: { ...decision.groupValues },
    tags: [...node.tags],
  };
}

export type JoinOutcome = { readonly incident: Incident; readonly reopened: boolean };

/**
 * The incident after a member joined. A closed incident reopens when the evidence comes
 * within the rule's reopen period after it was closed; later evidence is still recorded
 * but leaves it closed (docs/correlation.md).
 */
export function joinedIncident(current: Incident, decision: Joined, closedAt: number | null, now: number): JoinOutcome {
  const effect = decision.effect;
  const member = effect.member;
  const reopened = current.status === 'closed' && closedAt !== null && now - closedAt <= decision.node.settings.reopenMs;
  return {
    reopened,
    incident: {
      ...current,
      revision: current.revision + 1,
      status: reopened ? 'open' : current.status,
      severity: higher(current.severity, severityFromScore(member.s)),
      alert_count: current.alert_count + 1,
      alert_ids: current.alert_ids.length < MAX_ALERT_IDS ? [...current.alert_ids, member.id] : current.alert_ids,
      first_seen: Math.min(current.first_seen, member.t),
      last_seen: Math.max(current.last_seen, member.t),
      updated_at: now,
    },
  };
}
