import { describe, expect, it } from 'vitest';
import { topics, type Alert } from '@vigil/contracts';
import { canonicalAlert, checkAlert, outputsFor } from './dedup-core.ts';
import { sampleAlert } from '../testing/sample-alert.ts';

describe('checkAlert', () => {
  const alert = sampleAlert();

  it('accepts a decoded alert', () => {
    expect(checkAlert(alert)).toEqual({ ok: true, alert });
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /not an alert/],
    ['a string', 'x', /not an alert/],
    ['a tenant with a brace', { ...alert, tenant_id: 'a}b' }, /tenant_id/],
    ['no tenant', { ...alert, tenant_id: undefined }, /tenant_id/],
    ['an empty id', { ...alert, id: '' }, /no id/],
    ['no rule id', { ...alert, rule_id: null }, /rule_id/],
    ['a fractional event time', { ...alert, event_time: 1.5 }, /event_time/],
    ['a string event time', { ...alert, event_time: '2024-01-01' }, /event_time/],
  ])('rejects %s', (_name, value, message) => {
    expect(checkAlert(value)).toEqual({ ok: false, message: expect.stringMatching(message) });
  });
});

describe('outputsFor', () => {
  const alert: Alert = sampleAlert({ id: 'a-2', event_time: 2000 });

  it.each(['canonical', 'late'] as const)('forwards a %s alert as a window of one, keyed tenant|rule', (kind) => {
    for (const replay of [false, true]) {
      expect(outputsFor(alert, 'fp', { kind, replay })).toEqual([{ topic: topics.alerts, key: 'acme|2001', value: canonicalAlert(alert, 'fp') }]);
    }
    expect(canonicalAlert(alert, 'fp')).toMatchObject({ fingerprint: 'fp', dedup_count: 1, first_seen: 2000, last_seen: 2000, id: 'a-2' });
  });

  it('turns a duplicate into a notice with absolute values, keyed tenant|canonical id', () => {
    const decision = { kind: 'duplicate', replay: false, canonicalId: 'a-1', canonicalEventTime: 1000, count: 3, firstSeen: 900, lastSeen: 2000 } as const;
    expect(outputsFor(alert, 'fp', decision)).toEqual([
      {
        topic: topics.duplicates,
        key: 'acme|a-1',
        value: { tenant_id: 'acme', canonical_id: 'a-1', canonical_event_time: 1000, duplicate_id: 'a-2', fingerprint: 'fp', count: 3, first_seen: 900, last_seen: 2000, duplicate_event_time: alert.event_time },
      },
    ]);
    expect(outputsFor(alert, 'fp', { ...decision, replay: true })).toEqual(outputsFor(alert, 'fp', decision));
  });
});
