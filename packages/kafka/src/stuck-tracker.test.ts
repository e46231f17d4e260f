import { describe, expect, it } from 'vitest';
import { createStuckTracker } from './stuck-tracker.ts';

const at = (committed: number, lag: number) => [{ topic: 't', partition: 0, committed, lag }];

describe('stuck tracker', () => {
  it('counts the time the committed offset stands still while there is lag', () => {
    const tracker = createStuckTracker();
    expect(tracker.observe(at(10, 5), 1_000)[0]!.stuckSeconds).toBe(0);
    expect(tracker.observe(at(10, 8), 31_000)[0]!.stuckSeconds).toBe(30);
    expect(tracker.observe(at(10, 9), 61_000)[0]!.stuckSeconds).toBe(60);
  });

  it('starts over when the offset moves, and is 0 when caught up', () => {
    const tracker = createStuckTracker();
    tracker.observe(at(10, 5), 0);
    expect(tracker.observe(at(12, 3), 20_000)[0]!.stuckSeconds).toBe(0);
    expect(tracker.observe(at(12, 3), 25_000)[0]!.stuckSeconds).toBe(5);
    expect(tracker.observe(at(12, 0), 90_000)[0]!.stuckSeconds).toBe(0);
    expect(tracker.observe(at(12, 1), 95_000)[0]!.stuckSeconds).toBe(5);
  });

  it('forgets partitions that are no longer owned', () => {
    const tracker = createStuckTracker();
    tracker.observe(at(10, 5), 0);
    tracker.observe([], 10_000);
    expect(tracker.observe(at(10, 5), 20_000)[0]!.stuckSeconds).toBe(0);
  });
});
