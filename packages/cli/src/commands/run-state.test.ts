import { describe, expect, it } from 'vitest';
import { combinedRunState } from './run-state.ts';

describe('vigil status: supervised instances of a stage', () => {
  const run = {
    dedup: { restarts: 1, lastExit: 'signal SIGKILL', lastExitAt: '2026-12-02T09:00:00.000Z', crashLoop: false },
    'dedup#2': { restarts: 2, lastExit: 'exit code 1', lastExitAt: '2026-12-02T09:05:00.000Z', crashLoop: true },
    'dedup-api': { restarts: 7, lastExit: null, crashLoop: false },
    indexer: { restarts: 0, lastExit: null, lastExitAt: null, crashLoop: false },
  };

  it('sums restarts over instances, shows the latest exit and any crash loop', () => {
    expect(combinedRunState(run, 'dedup')).toEqual({ restarts: 3, lastExit: 'exit code 1', crashLoop: true, instances: 2 });
    expect(combinedRunState(run, 'indexer')).toEqual({ restarts: 0, lastExit: null, crashLoop: false, instances: 1 });
    expect(combinedRunState(run, 'correlate')).toBeUndefined();
  });
});
