import { recordKey, type CorrelationAudit, type Incident } from '@vigil/contracts';
import type { PoolClient } from '@vigil/postgres';
import { enqueue, enqueueAudit, lockIncident } from './incident-sql.ts';
import { transition, type IncidentAction, type TransitionResult } from './incident-transition.ts';

export interface WorkflowTopics {
  readonly incidents: string;
  readonly audit: string;
}

export type WorkflowOutcome = { readonly kind: 'not_found' } | { readonly kind: 'refused'; readonly reason: string } | { readonly kind: 'changed'; readonly incident: Incident };

const auditDecision: Record<IncidentAction['kind'], CorrelationAudit['decision']> = { assign: 'assigned', acknowledge: 'acknowledged', close: 'closed', reopen: 'reopened' };

/**
 * One analyst change in the caller's transaction: the incident row (revision + 1), exactly
 * one outbox row with the whole incident, one correlation audit event (outbox) and one
 * audit_log row naming who did it. Another tenant's incident is "not found".
 */
export async function changeIncident(client: PoolClient, tenantId: string, id: string, action: IncidentAction, actor: string, now: number, topics: WorkflowTopics, maxIds: number): Promise<WorkflowOutcome> {
  const locked = await lockIncident(client, id, maxIds);
  if (!locked || locked.incident.tenant_id !== tenantId) return { kind: 'not_found' };
  const result: TransitionResult = transition(locked, action, now);
  if (!result.ok) return { kind: 'refused', reason: result.reason };
  const { incident, closedAt, closeReason } = result.state;
  await client.query(
    `UPDATE incidents SET status = $3, assignee = $4, closed_at = $5, close_reason = $6, revision = $7, updated_at = $8
     WHERE id = $1 AND tenant_id = $2`,
    [incident.id, tenantId, incident.status, incident.assignee ?? null, closedAt === null ? null : new Date(closedAt), closeReason, incident.revision, new Date(incident.updated_at)],
  );
  await enqueue(client, tenantId, topics.incidents, recordKey(tenantId, incident.id), incident);
  const reason = action.kind === 'close' ? action.reason : action.kind === 'assign' ? `assignee: ${action.assignee ?? '(none)'}` : null;
  await enqueueAudit(client, [{
    id: `${incident.id}:${incident.revision}`,
    tenant_id: tenantId,
    decision: auditDecision[action.kind],
    rule_id: incident.rule_id,
    rule_version: incident.rule_version,
    alert_id: null,
    event_time: null,
    incident_id: incident.id,
    group_key: incident.group_key,
    reason: `${reason ? `${reason}; ` : ''}by ${actor}`,
    watermark: null,
    at: now,
  }], topics.audit);
  await client.query('INSERT INTO audit_log (tenant_id, actor, action, detail) VALUES ($1, $2, $3, $4)', [
    tenantId, actor, `incident.${action.kind}`, JSON.stringify({ incident_id: incident.id, revision: incident.revision, status: incident.status, assignee: incident.assignee ?? null, reason: action.kind === 'close' ? action.reason : null }),
  ]);
  return { kind: 'changed', incident };
}
