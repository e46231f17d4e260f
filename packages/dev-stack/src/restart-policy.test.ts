import { describe, expect, it } from 'vitest';
import { restartDecision } from './restart-policy.ts';

describe('restartDecision', () => {
  it.each([
    ['first exit', [100_000], 1_000, false],
    ['second exit within a minute', [60_000, 100_000], 2_000, false],
    ['third exit within a minute: a crash loop', [50_000, 60_000, 100_000], 4_000, true],
    ['exits long ago do not count', [1_000, 2_000, 100_000], 1_000, false],
    ['backoff is capped', Array.from({ length: 10 }, (_, i) => 95_000 + i * 500), 30_000, true],
  ])('%s', (_, exits, delay, loop) => {
    expect(restartDecision(exits, 100_000)).toMatchObject({ delayMs: delay, crashLoop: loop });
  });
});
