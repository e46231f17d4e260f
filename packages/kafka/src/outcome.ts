import { isVigilError, type ErrorCode } from '@vigil/errors';
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
 * How the runtime treats a failure:
 * - `dead`: permanent, goes to the DLQ now (non-retriable catalogue errors).
 * - `dependency`: a store is down; retry, then pause the partition until it is healthy.
 *   Never dead-lettered, never skipped.
 * - `unknown`: a bug or a surprise; retry a few times, then dead-letter.
 */
export type FailureKind = { kind: 'dead'; code: ErrorCode; message: string } | { kind: 'dependency'; message: string } | { kind: 'unknown'; message: string };

export function classify(error: unknown): FailureKind {
  if (isVigilError(error)) {
    if (!error.retriable) return { kind: 'dead', code: error.code, message: error.message };
    if (error.code === 'DEPENDENCY_UNAVAILABLE' || error.code === 'SCHEMA_UNKNOWN') return { kind: 'dependency', message: error.message };
    return { kind: 'unknown', message: error.message };
  }
  return { kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
}
