// The dedup decision's vocabulary, shared by the reference model (window-model.ts) and the
// Redis store that runs the same rules atomically (store/dedup-step.lua).

/** One alert to decide, and the settings in force for it. Times are epoch ms. */
export interface DedupStepInput {
  readonly tenantId: string;
  readonly fingerprint: string;
  readonly alertId: string;
  readonly eventTime: number;
  readonly windowMs: number;
  readonly latenessMs: number;
  /** The worker's clock: the only notion of "now" the decision uses. */
  readonly now: number;
}

/**
 * What store/dedup-step.lua decides (see its header). `replay`: the alert id was decided
 * before and this is the recorded decision again; nothing was counted.
 */
export type DedupDecision =
  | { readonly kind: 'canonical'; readonly replay: boolean }
  | { readonly kind: 'late'; readonly replay: boolean }
  | {
      readonly kind: 'duplicate';
      readonly replay: boolean;
      readonly canonicalId: string;
      readonly canonicalEventTime: number;
      readonly count: number;
      readonly firstSeen: number;
      readonly lastSeen: number;
    };
