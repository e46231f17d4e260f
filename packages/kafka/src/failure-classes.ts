import { isVigilError, type ErrorCode } from '@vigil/errors';

/**
 * Every failure of a record falls in one of three classes, by cause:
 * - `outage`: a dependency is unreachable or says "unavailable" (DEPENDENCY_UNAVAILABLE).
 *   Retry with backoff, then pause the partition until it is healthy. Never dead-lettered.
 * - `poison`: the record can never succeed (a non-retriable catalogue error). Dead letter now.
 * - `bug`: anything unexpected. Bounded retries with backoff, then a dead letter whose code
 *   says so (the error's own retriable code, e.g. STORE_OPERATION_FAILED, else
 *   STAGE_UNHANDLED_ERROR).
 * An unknown schema id from a reachable registry is poison after a short grace, because
 * a registry replica may lag behind the one the producer registered with.
 *
 * Store packages turn raw client errors into catalogue errors with
 * `@vigil/errors` `failure-cause.ts`; this table decides what the runtime does.
 */
export type FailureClass = 'outage' | 'poison' | 'bug';

export interface ClassifiedFailure {
  readonly class: FailureClass;
  readonly code: ErrorCode;
  readonly message: string;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function classifyFailure(error: unknown): ClassifiedFailure {
  if (!isVigilError(error)) return { class: 'bug', code: 'STAGE_UNHANDLED_ERROR', message: messageOf(error) };
  if (error.code === 'DEPENDENCY_UNAVAILABLE') return { class: 'outage', code: error.code, message: error.message };
  // Poison once the grace is over (see decideFailure); until then it waits like an outage.
  if (error.code === 'SCHEMA_UNKNOWN') return { class: 'poison', code: error.code, message: error.message };
  if (!error.retriable) return { class: 'poison', code: error.code, message: error.message };
  return { class: 'bug', code: error.code === 'STORE_OPERATION_FAILED' ? error.code : 'STAGE_UNHANDLED_ERROR', message: error.message };
}

/** Where the failing record stands: its attempt number and since when it has been failing. */
export interface FailureContext {
  readonly attempt: number;
  readonly maxAttempts: number;
  /** When this record first failed (ms, the runtime's clock). */
  readonly failingSince: number;
  readonly now: number;
  /** How long an unknown schema id is retried before the record counts as poison. */
  readonly schemaGraceMs: number;
}

export type FailureDecision =
  | { readonly action: 'dead-letter'; readonly class: 'poison' | 'bug'; readonly code: ErrorCode; readonly message: string }
  /** Back off and try again; `pause` once an outage has used up its attempts. */
  | { readonly action: 'retry'; readonly class: FailureClass; readonly message: string }
  | { readonly action: 'pause'; readonly class: 'outage'; readonly message: string };

/** What to do with a failed record now. Pure: time and attempts come in as arguments. */
export function decideFailure(error: unknown, ctx: FailureContext): FailureDecision {
  const failure = classifyFailure(error);
  switch (failure.class) {
    case 'outage':
      return ctx.attempt >= ctx.maxAttempts ? { action: 'pause', class: 'outage', message: failure.message } : { action: 'retry', class: 'outage', message: failure.message };
    case 'poison':
      if (failure.code === 'SCHEMA_UNKNOWN' && ctx.now - ctx.failingSince < ctx.schemaGraceMs) return { action: 'retry', class: 'poison', message: `${failure.message} (within the grace for registry lag)` };
      return { action: 'dead-letter', class: 'poison', code: failure.code, message: failure.message };
    case 'bug':
      if (ctx.attempt >= ctx.maxAttempts) return { action: 'dead-letter', class: 'bug', code: failure.code, message: `${failure.message} (after ${ctx.attempt} attempts)` };
      return { action: 'retry', class: 'bug', message: failure.message };
  }
}
