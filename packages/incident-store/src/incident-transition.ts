import type { Incident } from '@vigil/contracts';

/** What an analyst can do to an incident. */
export type IncidentAction =
  | { readonly kind: 'assign'; readonly assignee: string | null }
  | { readonly kind: 'acknowledge' }
  | { readonly kind: 'close'; readonly reason: string }
  | { readonly kind: 'reopen' };

export interface WorkflowState {
  readonly incident: Incident;
  readonly closedAt: number | null;
  readonly closeReason: string | null;
}

export type TransitionResult = { readonly ok: true; readonly state: WorkflowState } | { readonly ok: false; readonly reason: string };

/**
 * The analyst workflow as a pure function: open → acknowledged → closed, closed → open.
 * A no-op (acknowledging an acknowledged incident, assigning the same person) is refused
 * rather than written, so every revision in the timeline is a real change. closed_at is
 * what the correlation stage reads to decide whether new evidence reopens the incident.
 */
export function transition(current: WorkflowState, action: IncidentAction, now: number): TransitionResult {
  const { incident } = current;
  const next = (patch: Partial<Incident>, closedAt: number | null, closeReason: string | null): TransitionResult => ({
    ok: true,
    state: { incident: { ...incident, ...patch, revision: incident.revision + 1, updated_at: Math.max(now, incident.updated_at) }, closedAt, closeReason },
  });
  switch (action.kind) {
    case 'assign':
      if ((incident.assignee ?? null) === action.assignee) return { ok: false, reason: 'the incident already has this assignee' };
      return next({ assignee: action.assignee }, current.closedAt, current.closeReason);
    case 'acknowledge':
      if (incident.status !== 'open') return { ok: false, reason: `only an open incident can be acknowledged (it is ${incident.status})` };
      return next({ status: 'acknowledged' }, null, null);
    case 'close':
      if (incident.status === 'closed') return { ok: false, reason: 'the incident is already closed' };
      return next({ status: 'closed' }, now, action.reason);
    case 'reopen':
      if (incident.status !== 'closed') return { ok: false, reason: `only a closed incident can be reopened (it is ${incident.status})` };
      return next({ status: 'open' }, null, null);
  }
}
