import { severityFromScore, severityScore, type Severity } from '@vigil/contracts';

export interface SeverityValue {
  readonly severity: Severity;
  readonly severity_score: number;
}

/** Lowest score of each band, mirroring severityFromScore in @vigil/contracts. */
const bandFloor: Readonly<Record<Severity, number>> = { info: 0, low: 20, medium: 40, high: 70, critical: 90 };
const bandCeiling: Readonly<Record<Severity, number>> = { info: 19, low: 39, medium: 69, high: 89, critical: 100 };

export function severityOfScore(score: number): SeverityValue {
  const clamped = Math.round(Math.min(100, Math.max(0, score)));
  return { severity: severityFromScore(clamped), severity_score: clamped };
}

export function severityOfLevel(level: Severity): SeverityValue {
  return { severity: level, severity_score: severityScore[level] };
}

/** Used whenever a format carries no usable severity: the middle band neither buries nor pages. */
export const DEFAULT_SEVERITY: SeverityValue = severityOfLevel('medium');

/**
 * For sources with both a named level and a score (Elastic's severity and risk_score).
 * The named level wins and the score is clamped into its band, because Vigil sorts by
 * score and filters by severity and the two must never disagree.
 */
export function severityOfLevelAndScore(level: Severity | null, score: number | null): SeverityValue | null {
  if (level === null) return score === null ? null : severityOfScore(score);
  if (score === null) return severityOfLevel(level);
  return { severity: level, severity_score: Math.round(Math.min(bandCeiling[level], Math.max(bandFloor[level], score))) };
}
