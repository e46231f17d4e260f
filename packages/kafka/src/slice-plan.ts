import type { ErrorCode } from '@vigil/errors';
import { decideFailure, type FailureDecision } from './failure-classes.ts';
import type { Outcome } from './outcome.ts';
import type { OutgoingRecord } from './producer.ts';

export interface DeadLetterPlan {
  readonly index: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/** The outputs of one record of the slice (kept per record so a bad one can be isolated). */
export interface RecordOutputs {
  readonly index: number;
  readonly records: readonly OutgoingRecord[];
}

/**
 * The decision for one slice of a partition, from its records' outcomes. Offsets are
 * resolved strictly in order, so only the leading run of finished records (done or
 * dead) can be committed; the first record that must be retried blocks the rest.
 */
export interface SlicePlan {
  readonly settled: number;
  readonly outputs: readonly RecordOutputs[];
  readonly deadLetters: readonly DeadLetterPlan[];
  readonly dropped: number;
  readonly blocked: { readonly index: number; readonly failure: BlockKind } | null;
}

/**
 * Why the slice stops where it does: a failure to retry (or to pause on), or `deferred`:
 * the record before it was settled (e.g. dead-lettered on its last attempt) while this one
 * was held back; it is tried next, at once, as a first attempt.
 */
export type BlockKind = Exclude<FailureDecision, { action: 'dead-letter' }> | { readonly action: 'deferred'; readonly message: string };

/** Where the first record of the slice stands, and the limits of the policy. */
export interface PlanContext {
  /** Attempt number of the slice's first record (1 on its first try). */
  readonly attempt: number;
  /** When the slice's first record first failed; `now` if it never did. */
  readonly failingSince: number;
  readonly now: number;
  readonly maxAttempts: number;
  readonly schemaGraceMs: number;
}

export function planSlice(outcomes: readonly Outcome[], ctx: PlanContext): SlicePlan {
  const outputs: RecordOutputs[] = [];
  const deadLetters: DeadLetterPlan[] = [];
  let dropped = 0;
  for (let index = 0; index < outcomes.length; index++) {
    const outcome = outcomes[index]!;
    if (outcome.kind === 'done') {
      const produced = outcome.outputs ?? [];
      if (produced.length === 0) dropped++;
      else outputs.push({ index, records: produced });
      continue;
    }
    if (outcome.kind === 'reject') {
      deadLetters.push({ index, code: outcome.code, message: outcome.message });
      continue;
    }
    if (outcome.kind === 'deferred' && index > 0) {
      return { settled: index, outputs, deadLetters, dropped, blocked: { index, failure: { action: 'deferred', message: 'held back behind an earlier record' } } };
    }
    // A handler defers only behind a failure; deferring the first record would retry for
    // ever without trying anything, so that is the handler's bug, handled as any other.
    const error = outcome.kind === 'deferred' ? new Error('handler deferred the first record of a slice') : outcome.error;
    // Only the first record has a history; a later one fails here for the first time.
    const decision = decideFailure(error, index === 0 ? ctx : { ...ctx, attempt: 1, failingSince: ctx.now });
    if (decision.action === 'dead-letter') {
      deadLetters.push({ index, code: decision.code, message: decision.message });
      continue;
    }
    return { settled: index, outputs, deadLetters, dropped, blocked: { index, failure: decision } };
  }
  return { settled: outcomes.length, outputs, deadLetters, dropped, blocked: null };
}
