import { describe, expect, it } from 'vitest';
import { replayJobId } from './replay-job.ts';

describe('replayJobId', () => {
  it('is the same for the same stage and positions in any order, and differs otherwise', () => {
    const id = replayJobId('indexer', ['0:1', '0:2']);
    expect(replayJobId('indexer', ['0:2', '0:1', '0:2'])).toBe(id);
    expect(replayJobId('dedup', ['0:1', '0:2'])).not.toBe(id);
    expect(replayJobId('indexer', ['0:1', '0:2', '0:3'])).not.toBe(id);
    // BullMQ refuses custom ids with ':' or that look like integers.
    expect(id).not.toContain(':');
    expect(id).toMatch(/^replay-indexer-[0-9a-f]{32}$/);
  });
});
