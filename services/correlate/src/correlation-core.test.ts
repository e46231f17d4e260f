import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigil/contracts';
import { correlationDecision, joinIncident } from './correlation-core.ts';

const base: Alert = {
  id: '00000000-0000-4000-8000-000000000001', tenant_id: 't1', source_format: 'vigil', source_product: null, sensor_id: null, original_id: null,
  rule_id: 'r1', rule_name: 'Brute force', rule_category: null, severity: 'high', severity_score: 75, event_time: Date.UTC(2026, 0, 1, 10, 5),
  received_time: 0, src_ip: '10.0.0.1', src_port: null, dst_ip: null, dst_port: null, protocol: null, host: null, user_name: null, process: null,
  file_hash: null, domain: null, url: null, labels: {}, raw: null, fingerprint: null, dedup_count: 1, first_seen: null, last_seen: null,
};

describe('correlation core', () => {
  it('ignores alerts below high severity', () => {
    expect(correlationDecision({ ...base, severity: 'medium', severity_score: 50 }).kind).toBe('ignore');
  });

  it('puts alerts of one source and hour into one deterministic incident', () => {
    const a = correlationDecision(base);
    const b = correlationDecision({ ...base, id: 'x', event_time: base.event_time + 30 * 60_000 });
    const c = correlationDecision({ ...base, event_time: base.event_time + 60 * 60_000 });
    const d = correlationDecision({ ...base, tenant_id: 't2' });
    expect(a.kind === 'join' && b.kind === 'join' && a.incidentId === b.incidentId).toBe(true);
    expect(a.kind === 'join' && c.kind === 'join' && a.incidentId !== c.incidentId).toBe(true);
    expect(a.kind === 'join' && d.kind === 'join' && a.incidentId !== d.incidentId).toBe(true);
  });

  it('bumps the revision and widens first/last seen on every join', () => {
    const decision = correlationDecision(base);
    if (decision.kind !== 'join') throw new Error('expected join');
    const first = joinIncident(null, base, decision, 1);
    const second = joinIncident(first, { ...base, id: 'b', severity: 'critical', severity_score: 95, event_time: base.event_time - 1000 }, decision, 2);
    expect(first.revision).toBe(1);
    expect(second).toMatchObject({ revision: 2, alert_count: 2, severity: 'critical', first_seen: base.event_time - 1000, last_seen: base.event_time });
    expect(second.alert_ids).toEqual([base.id, 'b']);
  });
});
