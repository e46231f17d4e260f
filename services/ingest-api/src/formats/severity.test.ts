import { severityFromScore, severityScore, type Severity } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { severityOfLevel, severityOfLevelAndScore, severityOfScore } from './severity.ts';

describe('severity helpers', () => {
  it('clamps and rounds scores', () => {
    expect(severityOfScore(-5)).toEqual({ severity: 'info', severity_score: 0 });
    expect(severityOfScore(150)).toEqual({ severity: 'critical', severity_score: 100 });
    expect(severityOfScore(69.6)).toEqual({ severity: 'high', severity_score: 70 });
  });

  it('uses the contract band score for a named level', () => {
    expect(severityOfLevel('low')).toEqual({ severity: 'low', severity_score: severityScore.low });
  });

  it('never lets a named level and its score disagree', () => {
    for (const level of ['info', 'low', 'medium', 'high', 'critical'] as Severity[]) {
      for (const score of [0, 19, 20, 39, 40, 69, 70, 89, 90, 100]) {
        const value = severityOfLevelAndScore(level, score)!;
        expect(value.severity).toBe(level);
        expect(severityFromScore(value.severity_score)).toBe(level);
      }
    }
  });

  it('falls back to whichever half is present', () => {
    expect(severityOfLevelAndScore(null, 47)).toEqual({ severity: 'medium', severity_score: 47 });
    expect(severityOfLevelAndScore('high', null)).toEqual({ severity: 'high', severity_score: 75 });
    expect(severityOfLevelAndScore(null, null)).toBeNull();
  });
});
