import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { BlockKind } from './slice-plan.ts';

/**
 * The first unsettled record of a partition: which attempt it is on and since when it
 * fails. Kept across batches, so a pause and resume (or a re-fetch) does not restart the
 * count or the schema grace of a record that keeps failing.
 */
export interface HeadState {
  readonly offset: string;
  readonly attempt: number;
  readonly since: number;
}

/** The state of the record at `offset`: the known one if it is the record that failed before, else fresh. */
export function headAt(known: HeadState | undefined, offset: string, now: number): HeadState {
  return known?.offset === offset ? known : { offset, attempt: 1, since: now };
}

/** Outputs or dead letters could not be written: no record is to blame, so it waits like an outage. */
export function writeFailureBlock(head: HeadState, policy: BackoffPolicy, message: string): BlockKind {
  return head.attempt >= policy.maxAttempts ? { action: 'pause', class: 'outage', message } : { action: 'retry', class: 'outage', message };
}

/** What the partition does after a slice: go on, pause until healthy, or back off and retry its head. */
export type NextStep =
  | { readonly step: 'continue' }
  /** The head gets a fresh round of attempts after the resume; its first failure time is kept. */
  | { readonly step: 'pause'; readonly head: HeadState; readonly message: string }
  | { readonly step: 'retry'; readonly head: HeadState; readonly until: number; readonly message: string; readonly class: string };

/**
 * The retry/pause decision after a slice, pure: `blocked` is why the slice stopped (null:
 * it did not), `head` the state of the record it stopped at, time and jitter come in.
 */
export function nextStep(blocked: BlockKind | null, head: HeadState, policy: BackoffPolicy, now: number, random: () => number = Math.random): NextStep {
  // A deferred record waited only for the one before it, which is settled now.
  if (blocked === null || blocked.action === 'deferred') return { step: 'continue' };
  if (blocked.action === 'pause') return { step: 'pause', head: { ...head, attempt: 1 }, message: blocked.message };
  const attempt = head.attempt + 1;
  return { step: 'retry', head: { ...head, attempt }, until: now + backoffDelay(policy, attempt, random), message: blocked.message, class: blocked.class };
}
