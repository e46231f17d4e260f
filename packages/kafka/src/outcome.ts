import type { ErrorCode } from '@vigil/errors';
import { classifyFailure } from './failure-classes.ts';
import type { OutgoingRecord } from './producer.ts';

export interface InputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** Broker timestamp (ms). */
  readonly timestamp: number;
}

/**
 * What a stage's handler says about one record. `deferred`: not attempted, because an
 * earlier record of the slice failed and must be retried first; applying this one now
 * would apply it out of offset order (e.g. join an incident before its predecessor).
 */
export type Outcome =
  | { readonly kind: 'done'; readonly outputs?: readonly OutgoingRecord[] }
  | { readonly kind: 'reject'; readonly code: ErrorCode; readonly message: string }
  | { readonly kind: 'fail'; readonly error: unknown }
  | { readonly kind: 'deferred' };

export const done = (outputs: readonly OutgoingRecord[] = []): Outcome => ({ kind: 'done', outputs });
export const reject = (code: ErrorCode, message: string): Outcome => ({ kind: 'reject', code, message });
export const fail = (error: unknown): Outcome => ({ kind: 'fail', error });
export const deferred = (): Outcome => ({ kind: 'deferred' });

/**
 * The coarse view of a failure some handlers use to decide how to go on within a slice
 * (correlate redoes a slice record by record unless the failure is an outage):
 * - `dead`: poison, goes to the DLQ now.
 * - `dependency`: an outage, or an unknown schema id still within its grace; wait.
 * - `unknown`: a bug or a surprise; retried a few times, then dead-lettered.
 * The runtime itself decides with `decideFailure` (failure-classes.ts).
 */
export type FailureKind = { kind: 'dead'; code: ErrorCode; message: string } | { kind: 'dependency'; message: string } | { kind: 'unknown'; message: string };

export function classify(error: unknown): FailureKind {
  const failure = classifyFailure(error);
  if (failure.class === 'outage' || failure.code === 'SCHEMA_UNKNOWN') return { kind: 'dependency', message: failure.message };
  if (failure.class === 'poison') return { kind: 'dead', code: failure.code, message: failure.message };
  return { kind: 'unknown', message: failure.message };
}
