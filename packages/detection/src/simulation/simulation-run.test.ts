import { describe, expect, it } from 'vitest';
import { alertAt, ruleSet, runAlerts } from '../../testing/engine-support.ts';
import { openedIncident } from '../incident/incident-build.ts';
import { createSimulation } from './simulation-run.ts';

const RULES = `
title: Three failures
id: three-failures
level: high
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition:
    gte: 3
---
title: Quiet host
id: quiet-host
correlation:
  type: event_count
  rules: [heartbeat]
  group-by: [host]
  timespan: 5m
  condition:
    lt: 2
`;

const fail = (m: number, ip: string) => alertAt(m, { rule_id: 'ssh-failed-login', src_ip: ip });

describe('createSimulation', () => {
  it('opens the incidents the engine opens (same ids and members), joins later members, and decides close-time windows', async () => {
    const set = ruleSet(RULES);
    const alerts = [fail(0, '10.0.0.1'), fail(1, '10.0.0.1'), fail(2, '10.0.0.1'), fail(3, '10.0.0.1'), fail(0, '10.0.0.2'), alertAt(0, { rule_id: 'heartbeat', host: 'h1' }), alertAt(20, { rule_id: 'other' })];
    const reference = await runAlerts(set, alerts);
    const simulation = createSimulation(set, 't1', 0);
    for (const alert of alerts) await simulation.feed(alert);
    await simulation.closeDue();
    const outcome = simulation.outcome();
    const opened = reference.incidents.map((d) => openedIncident('t1', d, 0).id);
    expect(outcome.incidents.find((i) => i.rule_id === 'three-failures')).toMatchObject({ id: opened[0], alert_count: 4, severity: 'high' });
    expect(outcome.incidents.find((i) => i.rule_id === 'three-failures')!.members.map((m) => m.id)).toEqual(alerts.slice(0, 4).map((a) => a.id));
    // The quiet host's window (one heartbeat) closes when the watermark passes it.
    expect(outcome.incidents.map((i) => i.rule_id).sort()).toEqual(['quiet-host', 'three-failures']);
    expect(outcome).toMatchObject({ alerts_read: 7, incident_count: 2, truncated: false, message: null });
  });

  it('caps the incidents it lists and says so', async () => {
    const simulation = createSimulation(ruleSet(RULES), 't1', 0, { maxIncidents: 1, maxMembersPerIncident: 2 });
    for (const ip of ['10.0.0.1', '10.0.0.2']) for (const m of [0, 1, 2]) await simulation.feed(fail(m, ip));
    const outcome = simulation.outcome();
    expect(outcome.incidents).toHaveLength(1);
    expect(outcome.incidents[0]!.members).toHaveLength(2);
    expect(outcome).toMatchObject({ incident_count: 2, truncated: true });
    expect(outcome.message).toMatch(/first 1 of 2 incidents.*first 2 members/);
  });

  it('a correlation decided at close still feeds the correlation chained on it (its firing is not late)', async () => {
    // Two or three failures for one account (an upper bound: decided when the window closes),
    // then a success for it: the parent only learns of the child's firing after the
    // child's window end plus lateness, long after the success arrived.
    const set = ruleSet(`
title: Few failures then a success
id: few-then-success
level: high
correlation:
  type: temporal_ordered
  rules: [few_failed, login_ok]
  group-by: [user_name]
  timespan: 30m
---
title: Two or three failures
name: few_failed
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [user_name]
  timespan: 5m
  condition: {gte: 2, lte: 3}
---
title: Success
name: login_ok
detection:
  selection:
    rule_id: ssh-login-success
  condition: selection
`);
    const simulation = createSimulation(set, 't1', 0);
    const failed = (m: number, user: string) => alertAt(m, { rule_id: 'ssh-failed-login', user_name: user });
    for (const alert of [failed(0, 'bob'), failed(1, 'bob'), alertAt(3, { rule_id: 'ssh-login-success', user_name: 'bob' }), failed(0, 'eve'), failed(1, 'eve'), failed(2, 'eve'), failed(3, 'eve'), alertAt(4, { rule_id: 'ssh-login-success', user_name: 'eve' })]) {
      await simulation.feed(alert);
      await simulation.closeDue();
    }
    // Past the children's window end (5 min) plus the default lateness (5 min).
    await simulation.feed(alertAt(12, { rule_id: 'unrelated' }));
    await simulation.closeDue();
    const outcome = simulation.outcome();
    // Bob's three alerts; eve's four failures are more than three, so nothing for her.
    expect(outcome.incidents.map((i) => [i.rule_id, i.group_values])).toEqual([['few-then-success', { user_name: 'bob' }]]);
    expect(outcome.decisions['late'] ?? 0).toBe(0);
  });
});

