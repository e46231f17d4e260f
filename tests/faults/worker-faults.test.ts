import { afterAll, beforeAll, describe, it } from 'vitest';
import { createFaultLedger, expectClean, workerDown } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline } from '../support/fault-pipeline.ts';

/**
 * The CI part of the fault matrix (docs/delivery.md, "Fault matrix"): a baseline, kill -9
 * and SIGTERM of a worker mid-batch. Each fault gets a tenant of its own, so its ledger
 * counts only its alerts; each test prints one `[fault-matrix]` line and holds I1 and the
 * incidents to exactly what the scenario must raise.
 */

let pipeline: FaultPipeline;
beforeAll(async () => {
  pipeline = await startFaultPipeline();
});
afterAll(async () => {
  await pipeline?.stop();
});

describe('fault matrix (CI subset)', () => {
  it('baseline: no fault', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-base');
    await ledger.sendScenario();
    await ledger.sendFillers(100);
    expectClean(await ledger.settle('baseline'));
  }, 240_000);

  it('kill -9 of the indexer mid-batch', async () => {
    expectClean(await workerDown(pipeline, 'indexer', 'SIGKILL', 'fm-kill-idx'));
  }, 240_000);

  it('SIGTERM of correlate mid-batch', async () => {
    expectClean(await workerDown(pipeline, 'correlate', 'SIGTERM', 'fm-term-cor'));
  }, 240_000);
});
