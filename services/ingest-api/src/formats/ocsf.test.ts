import { describe, expect, it } from 'vitest';
import { describeFixtures } from '../../testing/formats/fixture-suite.ts';
import { mapOcsf, ocsfSeverity } from './ocsf.ts';

describeFixtures('ocsf', mapOcsf);

describe('ocsfSeverity', () => {
  it.each([
    [0, 'medium', 50],
    [1, 'info', 10],
    [2, 'low', 30],
    [3, 'medium', 50],
    [4, 'high', 75],
    [5, 'critical', 95],
    [6, 'critical', 100],
    [99, 'medium', 50],
  ] as const)('severity_id %i → %s', (id, severity, score) => {
    expect(ocsfSeverity(id)).toEqual({ severity, severity_score: score });
  });
});

describe('mapOcsf', () => {
  const now = Date.parse('2025-03-14T12:01:00Z');
  const finding = {
    class_uid: 2004,
    severity_id: 3,
    time: Date.parse('2025-03-14T12:00:00Z'),
    finding_info: { uid: 'f-1', title: 'Title' },
    metadata: { product: { name: 'Detector' } },
  };

  it('reads time in seconds (Prowler json-ocsf) and in microseconds (generators) as the same instant', () => {
    const at = Date.parse('2025-03-14T12:00:00Z');
    for (const time of [at, at / 1000, at * 1000]) expect(mapOcsf({ ...finding, time }, { now })).toMatchObject({ ok: true, draft: { event_time: at } });
  });

  it('falls back to the title for the rule id when there is no analytic or type', () => {
    expect(mapOcsf(finding, { now })).toMatchObject({ ok: true, draft: { rule_id: 'Title', rule_name: 'Title', rule_category: null } });
  });

  it('points at the bad digest inside a fingerprint list', () => {
    const withHash = { ...finding, evidences: [{ file: { hashes: [{ algorithm_id: 3, value: 'not-hex' }] } }] };
    expect(mapOcsf(withHash, { now })).toMatchObject({ ok: false, path: 'evidences[0].file.hashes[0].value' });
  });

  it('requires class_uid 2004 when it is not a number', () => {
    expect(mapOcsf({ ...finding, class_uid: '2004' }, { now })).toMatchObject({ ok: false, code: 'ALERT_SCHEMA_INVALID', path: 'class_uid' });
  });
});
