import { describe, expect, it } from 'vitest';
import { describeFixtures } from '../../testing/formats/fixture-suite.ts';
import { mapSuricata, suricataSeverity } from './suricata.ts';

describeFixtures('suricata', mapSuricata);

describe('suricataSeverity', () => {
  it.each([
    [1, 'high', 75],
    [2, 'medium', 50],
    [3, 'low', 30],
    [4, 'info', 10],
    [255, 'info', 10],
    [null, 'medium', 50],
  ] as const)('priority %s → %s', (priority, severity, score) => {
    expect(suricataSeverity(priority)).toEqual({ severity, severity_score: score });
  });
});
