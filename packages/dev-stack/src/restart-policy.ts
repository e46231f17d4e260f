/**
 * When to restart a service that exited, from the times of its earlier exits. Pure:
 * the supervisor passes the clock in.
 * - Backoff doubles with each exit inside the window (1 s, 2 s, 4 s ... 30 s), so a
 *   service that crashes at start-up does not spin; a service that ran longer than the
 *   window starts over at 1 s.
 * - `crashLoop`: `loopAfter` or more exits inside the window; the supervisor says so loudly.
 */
export interface RestartPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly windowMs: number;
  readonly loopAfter: number;
}

export const defaultRestartPolicy: RestartPolicy = Object.freeze({ baseMs: 1_000, maxMs: 30_000, windowMs: 60_000, loopAfter: 3 });

export function restartDecision(exitTimes: readonly number[], now: number, policy: RestartPolicy = defaultRestartPolicy): { delayMs: number; recentExits: number; crashLoop: boolean } {
  const recentExits = exitTimes.filter((t) => now - t <= policy.windowMs).length;
  const delayMs = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, recentExits - 1));
  return { delayMs, recentExits, crashLoop: recentExits >= policy.loopAfter };
}
