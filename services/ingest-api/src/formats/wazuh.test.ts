import { describe, expect, it } from 'vitest';
import { describeFixtures } from '../../testing/formats/fixture-suite.ts';
import { mapWazuh, wazuhSeverity } from './wazuh.ts';

describeFixtures('wazuh', mapWazuh);

describe('wazuhSeverity', () => {
  it.each([
    [0, 'info'],
    [3, 'info'],
    [4, 'low'],
    [6, 'low'],
    [7, 'medium'],
    [11, 'medium'],
    [12, 'high'],
    [14, 'high'],
    [15, 'critical'],
  ] as const)('level %i → %s', (level, severity) => {
    expect(wazuhSeverity(level).severity).toBe(severity);
  });

  it('never lowers the score as the level rises', () => {
    const scores = Array.from({ length: 16 }, (_, level) => wazuhSeverity(level).severity_score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
});

describe('mapWazuh', () => {
  const alert = {
    '@timestamp': '2025-03-14T11:02:17.418Z',
    rule: { id: '5712', level: 10, description: 'sshd: brute force' },
    agent: { id: '001', name: 'web-01' },
  };

  it('falls back to @timestamp when timestamp is absent', () => {
    const result = mapWazuh(alert, { now: Date.parse('2025-03-14T11:03:00Z') });
    expect(result.ok && result.draft.event_time).toBe(Date.parse('2025-03-14T11:02:17.418Z'));
  });

  it('reports @timestamp as the path when it is the one that is wrong', () => {
    const result = mapWazuh({ ...alert, '@timestamp': 'yesterday' }, { now: Date.parse('2025-03-14T11:03:00Z') });
    expect(result).toMatchObject({ ok: false, code: 'ALERT_TIMESTAMP_INVALID', path: '@timestamp' });
  });
});
