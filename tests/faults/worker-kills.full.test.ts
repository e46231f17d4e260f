import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectClean, workerDown } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline, type Worker } from '../support/fault-pipeline.ts';

/** Full fault matrix: kill -9 and SIGTERM of every worker mid-batch (the CI subset has two of them). */

let pipeline: FaultPipeline;
beforeAll(async () => {
  pipeline = await startFaultPipeline();
});
afterAll(async () => {
  await pipeline?.stop();
});

const cases: Array<[Worker, NodeJS.Signals]> = [['dedup', 'SIGKILL'], ['correlate', 'SIGKILL'], ['dedup', 'SIGTERM'], ['indexer', 'SIGTERM']];

describe('fault matrix (full): workers killed and stopped mid-batch', () => {
  it.each(cases)('%s gets %s mid-batch', async (worker, signal) => {
    expectClean(await workerDown(pipeline, worker, signal, `fm-${signal.toLowerCase()}-${worker}`));
  }, 300_000);
});
