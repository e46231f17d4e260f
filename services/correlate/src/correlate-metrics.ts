import { Counter, type Registry } from '@vigil/metrics';

export interface CorrelateMetrics {
  /** Every engine decision, by kind (opened, joined, counted, late, ignored, expired, duplicate). */
  readonly decisions: Counter<'decision'>;
  /** Alerts later than their rule's allowed lateness: recorded in late_alerts, never dropped silently. */
  readonly late: Counter<'tenant'>;
  /** Window events pruned because a group hit its size cap. */
  readonly dropped: Counter;
  /** Alerts seen again after a redelivery (the inbox turned them into no-ops). */
  readonly redelivered: Counter;
  /** Group states the sweep dropped: left behind by the watermark, or of a rule version that no longer runs. */
  readonly expired: Counter;
  /** Transactions retried after a deadlock or serialization failure between workers. */
  readonly conflicts: Counter;
}

export function createCorrelateMetrics(registry: Registry): CorrelateMetrics {
  return {
    decisions: new Counter({ name: 'vigil_correlate_decisions_total', help: 'Correlation engine decisions by kind', labelNames: ['decision'], registers: [registry] }),
    late: new Counter({ name: 'vigil_correlate_late_alerts_total', help: 'Alerts that arrived after their rule allowed lateness', labelNames: ['tenant'], registers: [registry] }),
    dropped: new Counter({ name: 'vigil_correlate_window_events_dropped_total', help: 'Window events pruned by the per-group cap', registers: [registry] }),
    redelivered: new Counter({ name: 'vigil_correlate_redelivered_total', help: 'Alerts already in the inbox (redelivery)', registers: [registry] }),
    expired: new Counter({ name: 'vigil_correlate_group_states_expired_total', help: 'Group states dropped by the sweep (past the watermark, or of a retired rule version)', registers: [registry] }),
    conflicts: new Counter({ name: 'vigil_correlate_conflict_retries_total', help: 'Transactions retried after a deadlock or serialization failure', registers: [registry] }),
  };
}
