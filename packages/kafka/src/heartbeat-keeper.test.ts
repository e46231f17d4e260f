import { describe, expect, it, vi } from 'vitest';
import { whileHeartbeating } from './heartbeat-keeper.ts';

describe('whileHeartbeating', () => {
  it('heartbeats while the work runs, ignores heartbeat failures, and stops after', async () => {
    vi.useFakeTimers();
    try {
      let beats = 0;
      const heartbeat = async () => {
        beats++;
        if (beats === 2) throw new Error('rebalancing');
      };
      let finish = (_: string) => undefined as void;
      const work = whileHeartbeating(new Promise<string>((resolve) => (finish = resolve)), heartbeat, 1000);
      await vi.advanceTimersByTimeAsync(3500);
      expect(beats).toBe(3);
      finish('result');
      await expect(work).resolves.toBe('result');
      await vi.advanceTimersByTimeAsync(5000);
      expect(beats).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
