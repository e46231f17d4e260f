import { describe, expect, it } from 'vitest';
import { describeFixtures } from '../../testing/formats/fixture-suite.ts';
import { mapVigil } from './vigil.ts';

describeFixtures('vigil', mapVigil);

describe('mapVigil', () => {
  const now = Date.parse('2025-03-14T15:01:00Z');
  const alert = { rule: { id: 'r', name: 'n' }, severity: 'low', event_time: '2025-03-14T15:00:00Z' };

  it.each([
    [0, 'info', 0],
    [19.6, 'low', 20],
    [40, 'medium', 40],
    [70, 'high', 70],
    [100, 'critical', 100],
  ] as const)('maps a numeric severity %s to %s', (severity, level, score) => {
    expect(mapVigil({ ...alert, severity }, { now })).toMatchObject({ ok: true, draft: { severity: level, severity_score: score } });
  });

  it.each([-1, 101, Number.NaN])('rejects the numeric severity %s', (severity) => {
    expect(mapVigil({ ...alert, severity }, { now })).toMatchObject({ ok: false, path: 'severity' });
  });

  it('accepts a sensor id of 128 characters and rejects 129', () => {
    expect(mapVigil({ ...alert, id: 'a'.repeat(128) }, { now }).ok).toBe(true);
    expect(mapVigil({ ...alert, id: 'a'.repeat(129) }, { now })).toMatchObject({ ok: false, path: 'id' });
  });

  it('rejects a rule id that is not a string', () => {
    expect(mapVigil({ ...alert, rule: { id: 42, name: 'n' } }, { now })).toMatchObject({
      ok: false,
      path: 'rule.id',
      message: 'rule.id must be a string (got number)',
    });
  });

  it('rejects label keys and values beyond their caps', () => {
    expect(mapVigil({ ...alert, labels: { ['k'.repeat(65)]: 'v' } }, { now })).toMatchObject({ ok: false, path: `labels.${'k'.repeat(65)}` });
    expect(mapVigil({ ...alert, labels: { k: 'v'.repeat(257) } }, { now })).toMatchObject({ ok: false, path: 'labels.k' });
  });

  it('keeps a "__proto__" label as data', () => {
    const result = mapVigil({ ...alert, labels: JSON.parse('{"__proto__": "x"}') as unknown }, { now });
    expect(result.ok && Object.getOwnPropertyDescriptor(result.draft.labels, '__proto__')?.value).toBe('x');
  });

  it('rejects a record that is not an object', () => {
    expect(mapVigil('alert', { now })).toMatchObject({ ok: false, code: 'ALERT_SCHEMA_INVALID', path: '' });
  });
});
