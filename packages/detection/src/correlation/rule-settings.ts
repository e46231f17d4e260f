import type { Severity } from '@vigil/contracts';

/** Per-rule operating settings: not part of Sigma, kept beside the rule. */
export interface RuleSettings {
  /** How far behind the tenant's watermark an alert may arrive and still be correlated. */
  readonly allowedLatenessMs: number;
  /** How long after an analyst closed an incident new evidence reopens it (instead of starting a new one). */
  readonly reopenMs: number;
  /** Replaces the rule's `level` as the incident's base severity. */
  readonly severityOverride: Severity | null;
}

export const defaultRuleSettings: RuleSettings = Object.freeze({
  allowedLatenessMs: 5 * 60_000,
  reopenMs: 24 * 3_600_000,
  severityOverride: null,
});
