export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly maxAttempts: number;
}

export const defaultBackoff: BackoffPolicy = Object.freeze({ baseMs: 200, maxMs: 5_000, maxAttempts: 5 });

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(max, base·2^attempt)].
 * Spreading retries stops a fleet of workers from hammering a store that just came back.
 * `random` is injected so the schedule is testable.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
