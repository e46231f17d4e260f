import { afterAll, beforeAll, describe, it } from 'vitest';
import { createFaultLedger, expectClean } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline } from '../support/fault-pipeline.ts';
import { freePort } from '../support/ports.ts';

/**
 * Full fault matrix: a rebalance storm. While alerts stream in, each worker's consumer
 * group gains a second member and loses it again, several times: partitions move back and
 * forth mid-batch, and no offset may be committed past unfinished work (I4).
 */

let pipeline: FaultPipeline;
beforeAll(async () => {
  pipeline = await startFaultPipeline();
});
afterAll(async () => {
  await pipeline?.stop();
});

describe('fault matrix (full): rebalance storm', () => {
  it('workers scaled up and down while alerts stream in', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-storm');
    await ledger.sendScenario();
    for (let round = 0; round < 3; round++) {
      await ledger.sendFillers(100);
      const members = await Promise.all((['dedup', 'correlate', 'indexer'] as const).map(async (w) => pipeline.addMember(w, await freePort())));
      await ledger.sendFillers(100);
      // Half leave politely, half are killed: both kinds of rebalance.
      await Promise.all(members.map((m, i) => m.stop(i % 2 === 0 ? 'SIGTERM' : 'SIGKILL')));
    }
    await ledger.sendFillers(50);
    expectClean(await ledger.settle('rebalance storm'));
  }, 420_000);
});
