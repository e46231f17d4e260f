import { describe, expect, it } from 'vitest';
import type { Incident } from '@vigil/contracts';
import { transition, type WorkflowState } from './incident-transition.ts';

const incident: Incident = {
  id: 'i1', tenant_id: 't', revision: 3, rule_id: 'r', rule_name: 'R', group_key: 'g', status: 'open', severity: 'high', alert_count: 2, alert_ids: [],
  window_start: 0, window_end: 10, first_seen: 0, last_seen: 5, updated_at: 100, rule_version: 1, group_values: {}, tags: [],
};
const open: WorkflowState = { incident, closedAt: null, closeReason: null };

describe('incident workflow transitions', () => {
  it('acknowledges, closes with closed_at and a reason, reopens clearing them; each a new revision', () => {
    const ack = transition(open, { kind: 'acknowledge' }, 200);
    expect(ack).toMatchObject({ ok: true, state: { incident: { status: 'acknowledged', revision: 4, updated_at: 200 } } });
    const closed = transition(ack.ok ? ack.state : open, { kind: 'close', reason: 'fp' }, 300);
    expect(closed).toMatchObject({ ok: true, state: { incident: { status: 'closed', revision: 5 }, closedAt: 300, closeReason: 'fp' } });
    const reopened = transition(closed.ok ? closed.state : open, { kind: 'reopen' }, 400);
    expect(reopened).toMatchObject({ ok: true, state: { incident: { status: 'open', revision: 6 }, closedAt: null, closeReason: null } });
  });

  it('refuses changes that do not apply, so no empty revision is written', () => {
    expect(transition(open, { kind: 'reopen' }, 200).ok).toBe(false);
    const closed: WorkflowState = { incident: { ...incident, status: 'closed' }, closedAt: 150, closeReason: 'x' };
    expect(transition(closed, { kind: 'acknowledge' }, 200).ok).toBe(false);
    expect(transition(closed, { kind: 'close', reason: 'again' }, 200).ok).toBe(false);
    expect(transition({ ...open, incident: { ...incident, assignee: 'a' } }, { kind: 'assign', assignee: 'a' }, 200).ok).toBe(false);
  });

  it('keeps assignment independent of status and never moves updated_at backwards', () => {
    const assigned = transition(open, { kind: 'assign', assignee: 'alice' }, 50);
    expect(assigned).toMatchObject({ ok: true, state: { incident: { assignee: 'alice', status: 'open', updated_at: 100 } } });
  });
});
