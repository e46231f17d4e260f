import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Poll until `check` yields a value. Asynchronous pipelines are eventually
 * consistent; the deadline only bounds a broken run, it asserts nothing about speed.
 */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    await sleep(intervalMs);
  }
}
