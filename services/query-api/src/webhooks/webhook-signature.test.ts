import { describe, expect, it } from 'vitest';
import { buildPayload, type Notification } from './webhook-payload.ts';
import { signPayload, verifySignature } from './webhook-signature.ts';

describe('webhook signature', () => {
  const body = '{"type":"incident.opened"}';
  const now = 1_764_633_600;
  const headers = (ts: number, secret = 's3cret') => ({ timestamp: String(ts), signature: signPayload(secret, ts, body) });

  it('verifies a fresh signature and refuses stale, future, edited or foreign ones', () => {
    expect(verifySignature('s3cret', headers(now), body, now)).toBe(true);
    expect(verifySignature('s3cret', headers(now - 299), body, now)).toBe(true);
    expect(verifySignature('s3cret', headers(now - 301), body, now)).toBe(false);
    expect(verifySignature('s3cret', headers(now + 301), body, now)).toBe(false);
    expect(verifySignature('s3cret', headers(now), `${body} `, now)).toBe(false);
    expect(verifySignature('s3cret', headers(now, 'other'), body, now)).toBe(false);
    expect(verifySignature('s3cret', { timestamp: 'x', signature: signPayload('s3cret', now, body) }, body, now)).toBe(false);
    expect(verifySignature('s3cret', { timestamp: String(now), signature: undefined }, body, now)).toBe(false);
  });

  it('signs timestamp.body (a replayed body under a new timestamp does not verify)', () => {
    const old = headers(now - 1000);
    expect(verifySignature('s3cret', { timestamp: String(now), signature: old.signature }, body, now)).toBe(false);
  });
});

describe('webhook payloads', () => {
  const n: Notification = { deliveryId: 'd1', event: 'escalated', occurredAt: 0, incident: { id: 'i1', rule_name: 'Brute force', severity: 'critical', previous_severity: 'high', alert_count: 4, group_values: { src_ip: '203.0.113.7' }, revision: 3 } };

  it('generic carries the whole incident; slack and teams a readable message', () => {
    expect(buildPayload('generic', n)).toEqual({ type: 'incident.escalated', delivery_id: 'd1', occurred_at: '1970-01-01T00:00:00.000Z', incident: n.incident });
    expect(buildPayload('slack', n)).toEqual({ text: '*[CRITICAL] Incident escalated (high → critical): Brute force*\n4 alert(s) for src_ip=203.0.113.7; incident i1 (revision 3)' });
    expect(buildPayload('teams', n)).toMatchObject({ '@type': 'MessageCard', themeColor: 'B60205', title: '[CRITICAL] Incident escalated (high → critical): Brute force' });
  });
});
