import type { SimulationOutcome } from '@vigil/detection';
import type { TenantJobData } from '@vigil/redis';

/** What `POST /v1/rules/simulate` queues. */
export interface SimulationJobData extends TenantJobData {
  readonly rule: { readonly kind: 'stored'; readonly key: string; readonly version: number } | { readonly kind: 'draft'; readonly source: string };
  readonly from: number;
  readonly to: number;
}

export interface SimulationProgress {
  readonly alerts_read: number;
  readonly alerts_total: number;
  readonly incidents: number;
}

export interface SimulationResult extends SimulationOutcome {
  readonly rule: { readonly id: string; readonly version: number };
  /** The rules the simulated one runs with (itself and what it refers to). */
  readonly rule_set: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly alerts_total: number;
  /** Stopped early by a cancel (the result covers what was read until then). */
  readonly cancelled: boolean;
}
