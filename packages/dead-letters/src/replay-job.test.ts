import { describe, expect, it } from 'vitest';
import { replayJobId } from './replay-job.ts';

describe('replayJobId', () => {
  it('is the same for the same stage and dead letters in any order, and differs otherwise', () => {
    const id = replayJobId('indexer', ['indexer:0:1:aa', 'indexer:0:2:bb']);
    expect(replayJobId('indexer', ['indexer:0:2:bb', 'indexer:0:1:aa', 'indexer:0:2:bb'])).toBe(id);
    expect(replayJobId('dedup', ['indexer:0:1:aa', 'indexer:0:2:bb'])).not.toBe(id);
    expect(replayJobId('indexer', ['indexer:0:1:aa', 'indexer:0:2:cc'])).not.toBe(id);
    // BullMQ refuses custom ids with ':' or that look like integers.
    expect(id).not.toContain(':');
    expect(id).toMatch(/^replay-indexer-[0-9a-f]{32}$/);
  });
});
