import { describe, expect, it } from 'vitest';
import { GENERATED_FROM_LABEL, generatedAlerts } from '../rule-set/generated-alerts.ts';
import { alertAt, ruleSet, runAlerts } from '../../testing/engine-support.ts';
import { alertRoutes, correlateAlert, correlateRepeat } from './engine.ts';
import { createMemoryStateStore } from './memory-state-store.ts';
import { createSimulation } from '../simulation/simulation-run.ts';

const bruteForce = `
title: Brute force then success
id: 7f0e1b4e-0000-4000-8000-000000000001
level: high
tags: [attack.credential_access, attack.t1110]
correlation:
  type: temporal_ordered
  rules: [many_failed, login_ok]
  group-by: [src_ip]
  timespan: 10m
---
title: Many failed logins
name: many_failed
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition:
    gte: 3
---
title: Successful login
name: login_ok
detection:
  selection:
    rule_id: ssh-login-success
  condition: selection
`;

describe('engine over Sigma rule sets', () => {
  it('chains a correlation into another: failed logins from one source, then a success', async () => {
    const set = ruleSet(bruteForce);
    const fail = (m: number, ip = '203.0.113.9') => alertAt(m, { rule_id: 'ssh-failed-login', rule_name: 'SSH failed login', src_ip: ip });
    const ok = (m: number, ip = '203.0.113.9') => alertAt(m, { rule_id: 'ssh-login-success', rule_name: 'SSH login', src_ip: ip });
    const { incidents, decisions } = await runAlerts(set, [fail(0), fail(1), fail(2, '198.51.100.1'), fail(2), ok(4), ok(5, '198.51.100.1')]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.node.key).toBe('7f0e1b4e-0000-4000-8000-000000000001');
    expect(incidents[0]!.groupValues).toEqual({ src_ip: '203.0.113.9' });
    // The inner correlation fired once without raising an incident of its own.
    expect(decisions.filter((d) => d.kind === 'opened' && d.node.key === 'many_failed')).toHaveLength(1);
    expect(decisions.filter((d) => d.kind === 'opened' && d.node.key === 'many_failed').every((d) => !d.node.raisesIncidents)).toBe(true);
  });

  it('raises nothing when the success comes before the failures (order matters)', async () => {
    const set = ruleSet(bruteForce);
    const { incidents } = await runAlerts(set, [
      alertAt(0, { rule_id: 'ssh-login-success', src_ip: '203.0.113.9' }),
      ...[1, 2, 3].map((m) => alertAt(m, { rule_id: 'ssh-failed-login', src_ip: '203.0.113.9' })),
    ]);
    expect(incidents).toHaveLength(0);
  });

  it('generate: true makes the referenced correlation raise incidents of its own', async () => {
    const set = ruleSet(bruteForce.replace('  timespan: 10m\n', '  timespan: 10m\n  generate: true\n'));
    const { incidents } = await runAlerts(set, [0, 1, 2].map((m) => alertAt(m, { rule_id: 'ssh-failed-login', src_ip: '203.0.113.9' })));
    expect(incidents.map((i) => i.node.key)).toEqual(['many_failed']);
  });

  it('aliases group events of different rules by different fields (the spec example)', async () => {
    const set = ruleSet(`
title: Internal error then connection
id: a1
correlation:
  type: temporal
  rules: [internal_error, new_network_connection]
  group-by: [internal_ip, remote_ip]
  timespan: 10s
  aliases:
    internal_ip:
      internal_error: destination.ip
      new_network_connection: source.ip
    remote_ip:
      internal_error: source.ip
      new_network_connection: destination.ip
---
title: internal error
name: internal_error
detection:
  selection:
    http.response.status_code: 500
  condition: selection
---
title: new connection
name: new_network_connection
detection:
  selection:
    event.category: network
    event.outcome: success
  condition: selection
`);
    const error = alertAt(0, { src_ip: '198.51.100.7', dst_ip: '10.0.0.5', labels: { 'http.response.status_code': '500' } });
    const conn = { ...alertAt(0, { src_ip: '10.0.0.5', dst_ip: '198.51.100.7', labels: { 'event.category': 'network', 'event.outcome': 'success' } }) };
    conn.event_time += 5000;
    const other = { ...alertAt(0, { src_ip: '10.0.0.6', dst_ip: '198.51.100.7', labels: { 'event.category': 'network', 'event.outcome': 'success' } }) };
    const { incidents } = await runAlerts(set, [error, other, conn]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.groupValues).toEqual({ internal_ip: '10.0.0.5', remote_ip: '198.51.100.7' });
    expect(incidents[0]!.effect.members.map((m) => m.id).sort()).toEqual([error.id, conn.id].sort());
  });

  it('groups by several fields: the group is the tuple', async () => {
    const set = ruleSet(`
title: Spray
correlation:
  type: value_count
  rules: [auth-failure]
  group-by: [src_ip, host]
  timespan: 1h
  condition: {field: user_name, gte: 3}
`);
    const a = (m: number, user: string, host: string) => alertAt(m, { rule_id: 'auth-failure', src_ip: '192.0.2.1', host, user_name: user });
    const { incidents } = await runAlerts(set, [a(0, 'u1', 'h1'), a(1, 'u2', 'h2'), a(2, 'u3', 'h1'), a(3, 'u4', 'h1')]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.groupValues).toEqual({ src_ip: '192.0.2.1', host: 'h1' });
  });

  it('an alert without a group-by field joins no group and says why', async () => {
    const set = ruleSet(`
title: By user
correlation:
  type: event_count
  rules: [r1]
  group-by: [user_name]
  timespan: 1h
  condition: {gte: 1}
`);
    const { incidents, decisions } = await runAlerts(set, [alertAt(0, { rule_id: 'r1', user_name: null })]);
    expect(incidents).toHaveLength(0);
    expect(decisions).toMatchObject([{ kind: 'ignored', reason: 'no value for group-by field user_name' }]);
  });

  it('matches the referenced detection by the alert rule name too, and reads labels as numbers for value_sum', async () => {
    const set = ruleSet(`
title: Exfil volume
correlation:
  type: value_sum
  rules: [Large upload]
  group-by: [src_ip]
  timespan: 1h
  condition: {field: bytes_out, gt: 1000}
`);
    const up = (m: number, bytes: string) => alertAt(m, { rule_id: 'x-1', rule_name: 'Large Upload', src_ip: '10.1.1.1', labels: { bytes_out: bytes } });
    const { incidents } = await runAlerts(set, [up(0, '600'), up(1, 'n/a'), up(2, '500')]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.effect.value).toBe(1100);
  });

  it('an alert matching two rules of an event_count counts once; of a temporal, it is both rules', async () => {
    const count = ruleSet(`
title: Two SSH failures
correlation:
  type: event_count
  rules: [ssh-fail, SSH failure]
  group-by: [host]
  timespan: 5m
  condition: {gte: 2}
`);
    const both = (m: number) => alertAt(m, { rule_id: 'ssh-fail', rule_name: 'SSH failure', host: 'h1' });
    expect((await runAlerts(count, [both(0)])).incidents).toHaveLength(0);
    const two = await runAlerts(count, [both(0), both(1)]);
    expect(two.incidents.map((i) => i.effect.value)).toEqual([2]);
    const temporal = ruleSet(`
title: Both seen
correlation:
  type: temporal
  rules: [ssh-fail, SSH failure]
  group-by: [host]
  timespan: 5m
`);
    expect((await runAlerts(temporal, [both(0)])).incidents).toHaveLength(1);
  });

  it('a rules: entry names a rule by id before name, whatever the order of the documents', async () => {
    const yaml = (first: string, second: string) => `title: Count\nid: count\ncorrelation:\n  type: event_count\n  rules: [foo]\n  group-by: [host]\n  timespan: 5m\n  condition: {gte: 1}\n---\n${first}\n---\n${second}\n`;
    const byId = 'title: By id\nid: foo\ndetection:\n  s: {rule_id: by-id}\n  condition: s';
    const byName = 'title: By name\nname: foo\ndetection:\n  s: {rule_id: by-name}\n  condition: s';
    for (const set of [ruleSet(yaml(byId, byName)), ruleSet(yaml(byName, byId))]) {
      expect((await runAlerts(set, [alertAt(0, { rule_id: 'by-id', host: 'h' })])).incidents).toHaveLength(1);
      expect((await runAlerts(set, [alertAt(0, { rule_id: 'by-name', host: 'h' })])).incidents).toHaveLength(0);
    }
  });

  it('a temporal correlation with an extended condition fires on the rules it asks for (Sigma v2.2), with not decided at close', async () => {
    const set = ruleSet(`
title: Recon without the admin tool
correlation:
  type: temporal
  rules: [recon-a, recon-b, admin-tool]
  group-by: [host]
  timespan: 5m
  condition: recon-a AND recon-b and not (admin-tool)
`);
    const on = (m: number, rule: string, host = 'h1') => alertAt(m, { rule_id: rule, host });
    const simulated = async (alerts: ReturnType<typeof on>[]) => {
      const simulation = createSimulation(set, 't1', 0);
      for (const alert of [...alerts, alertAt(30, { rule_id: 'later' })]) {
        await simulation.feed(alert);
        await simulation.closeDue();
      }
      return simulation.outcome().incidents.map((i) => i.group_values['host']);
    };
    expect(await simulated([on(0, 'recon-a'), on(1, 'recon-b')])).toEqual(['h1']);
    // The admin tool in the same window: an operator at work, not an attacker.
    expect(await simulated([on(0, 'recon-a'), on(1, 'recon-b'), on(2, 'admin-tool')])).toEqual([]);
    expect(await simulated([on(0, 'recon-a')])).toEqual([]);
  });

  it('an extended condition without not fires at once, and may leave rules: out', async () => {
    const set = ruleSet(`
title: Either follow-up
correlation:
  type: temporal
  group-by: [host]
  timespan: 5m
  condition: recon-a and (recon-b or recon-c)
`);
    expect(set.correlations[0]!.spec.rules).toEqual(['recon-a', 'recon-b', 'recon-c']);
    const { incidents } = await runAlerts(set, [alertAt(0, { rule_id: 'recon-a', host: 'h' }), alertAt(1, { rule_id: 'recon-c', host: 'h' })]);
    expect(incidents).toHaveLength(1);
  });

  it('the incident id is deterministic: a second run over the same alerts gives the same incidents', async () => {
    const set = ruleSet(bruteForce);
    const alerts = [0, 1, 2].map((m) => alertAt(m, { rule_id: 'ssh-failed-login', src_ip: '203.0.113.9' }));
    alerts.push(alertAt(3, { rule_id: 'ssh-login-success', src_ip: '203.0.113.9' }));
    const first = await runAlerts(set, alerts);
    const second = await runAlerts(ruleSet(bruteForce), alerts);
    expect(first.incidents.map((i) => i.effect.episode.id)).toEqual(second.incidents.map((i) => i.effect.episode.id));
    expect(first.incidents).toHaveLength(1);
  });

  it('generate: true turns matches of a referenced Sigma detection into alerts of their own, with deterministic ids, never regenerated', () => {
    const yaml = `
title: Encoded PowerShell twice on a host
correlation:
  type: event_count
  rules: [encoded_ps]
  group-by: [host]
  timespan: 1h
  condition: {gte: 2}
  generate: GEN
---
title: Encoded PowerShell
name: encoded_ps
level: high
detection:
  selection:
    process|endswith: powershell.exe
  condition: selection
`;
    const matching = alertAt(0, { process: 'C:\\Windows\\powershell.exe', severity: 'low', severity_score: 30 });
    const withGenerate = ruleSet(yaml.replace('GEN', 'true'));
    const [generated, ...more] = generatedAlerts(withGenerate, matching);
    expect(more).toEqual([]);
    expect(generated).toMatchObject({ rule_id: 'encoded_ps', rule_name: 'Encoded PowerShell', severity: 'high', tenant_id: matching.tenant_id, host: matching.host, labels: { [GENERATED_FROM_LABEL]: matching.id } });
    expect(generatedAlerts(withGenerate, matching)[0]!.id).toBe(generated!.id);
    expect(generatedAlerts(withGenerate, generated!)).toEqual([]);
    expect(generatedAlerts(withGenerate, alertAt(0, { process: 'bash' }))).toEqual([]);
    expect(generatedAlerts(ruleSet(yaml.replace('GEN', 'false')), matching)).toEqual([]);
  });

  it('a group that sees one rule of a temporal correlation thousands of times keeps a bounded state', async () => {
    const set = ruleSet(`
title: A then B by user
correlation:
  type: temporal
  rules: [rule-a, rule-b]
  group-by: [user_name]
  timespan: 1h
`);
    const alerts = Array.from({ length: 500 }, (_, i) => alertAt(i / 100, { rule_id: 'rule-a', user_name: 'alice' }));
    const { store, incidents } = await runAlerts(set, [...alerts, alertAt(5, { rule_id: 'rule-b', user_name: 'alice' })]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.effect.members.length).toBeLessThanOrEqual(33);
    expect(Math.max(...store.entries().map(([, s]) => s.events.length))).toBeLessThanOrEqual(32);
  });

  it('repeats of an alert that dedup suppressed count through the routes the original took', async () => {
    const set = ruleSet(`
title: Repeated failures
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition: {gte: 3}
---
title: Distinct ports
correlation:
  type: value_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition: {field: dst_port, gte: 2}
`);
    const original = alertAt(0, { rule_id: 'ssh-failed-login', src_ip: '192.0.2.7', user_name: 'root', dst_port: 22 });
    const routes = alertRoutes(set, original);
    expect(routes.map((r) => [r.s, r.g, r.v ?? null])).toEqual([['repeated_failures@1', '["192.0.2.7"]', null], ['distinct_ports@1', '["192.0.2.7"]', '22']]);
    const store = createMemoryStateStore();
    await correlateAlert(set, original, original.event_time, store);
    const first = await correlateRepeat(set, 't1', routes, { id: 'dup-1', time: original.event_time + 60_000, score: 50 }, original.event_time + 60_000, store);
    expect(first.map((d) => d.kind)).toEqual(['counted', 'counted']);
    const second = await correlateRepeat(set, 't1', routes, { id: 'dup-2', time: original.event_time + 120_000, score: 50 }, original.event_time + 120_000, store);
    // Three occurrences of one source: the count fires; the repeats carry the original's port, so ports stay at one.
    expect(second.map((d) => `${d.node.key}:${d.kind}`)).toEqual(['repeated_failures:opened', 'distinct_ports:counted']);
    const stale = await correlateRepeat(set, 't1', [{ s: 'gone@9', r: 0, g: '["x"]' }], { id: 'dup-3', time: 0, score: 0 }, 0, store);
    expect(stale).toEqual([]);
  });
});

