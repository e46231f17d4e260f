import { describe, expect, it } from 'vitest';
import { isWaitTimeout, waitUntil } from './probes.ts';

/** A clock that only moves when the code under test sleeps (or a check takes "time"). */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('waitUntil', () => {
  it('returns the first defined value without sleeping when ready at once', async () => {
    const clock = fakeClock();
    await expect(waitUntil(async () => 'ready', { timeoutMs: 1000, now: clock.now, sleep: clock.sleep })).resolves.toBe('ready');
    expect(clock.sleeps).toEqual([]);
  });

  it('polls at the interval until the check succeeds', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await waitUntil(async () => (++calls === 4 ? calls : undefined), {
      timeoutMs: 10_000,
      intervalMs: 500,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(value).toBe(4);
    expect(clock.sleeps).toEqual([500, 500, 500]);
  });

  it('times out at the deadline, shortening the last sleep, and checks once more at the deadline', async () => {
    const clock = fakeClock();
    let calls = 0;
    const error = await waitUntil(
      async () => {
        calls++;
        return undefined;
      },
      { timeoutMs: 1200, intervalMs: 500, now: clock.now, sleep: clock.sleep },
    ).catch((e: unknown) => e);
    expect(isWaitTimeout(error)).toBe(true);
    expect(clock.sleeps).toEqual([500, 500, 200]);
    expect(calls).toBe(4);
    expect(clock.now()).toBe(1200);
  });

  it('does not stretch past the deadline when a check itself is slow', async () => {
    const clock = fakeClock();
    const error = await waitUntil(
      async () => {
        clock.advance(700);
        return undefined;
      },
      { timeoutMs: 1000, intervalMs: 500, now: clock.now, sleep: clock.sleep },
    ).catch((e: unknown) => e);
    expect(isWaitTimeout(error)).toBe(true);
    // 700 (check) + 300 (sleep, capped) + 700 (final check): one final check only.
    expect(clock.sleeps).toEqual([300]);
  });

  it('gives up at once when the check throws, without waiting for the deadline', async () => {
    const clock = fakeClock();
    const crash = new Error('process exited');
    await expect(
      waitUntil(
        async () => {
          throw crash;
        },
        { timeoutMs: 60_000, now: clock.now, sleep: clock.sleep },
      ),
    ).rejects.toBe(crash);
    expect(isWaitTimeout(crash)).toBe(false);
    expect(clock.now()).toBe(0);
  });
});
