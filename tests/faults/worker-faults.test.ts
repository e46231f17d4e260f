import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultLedger, expectClean, workerDown } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline } from '../support/fault-pipeline.ts';
import { poisonKinds } from '../support/poison.ts';
import { waitFor } from '../support/wait.ts';

/**
 * The CI part of the fault matrix (docs/delivery.md, "Fault matrix"): a baseline, kill -9
 * and SIGTERM of a worker mid-batch, poison of each kind, the schema registry stopped. Each fault gets a tenant of its own, so its ledger
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

  it('poison of each kind among valid alerts: each dead-lettered exactly once, the alerts behind it indexed', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-poison');
    await ledger.sendScenario();
    await ledger.sendFillers(100);
    // Undecodable bytes, an unknown schema id, valid Avro that dedup's checks refuse, and an
    // alert whose canonical output outgrows the broker's limit (its letter is trimmed).
    await ledger.injectPoison(poisonKinds);
    await ledger.sendFillers(100);
    const report = await ledger.settle('poison of each kind');
    expect(report.poisoned).toBe(poisonKinds.length);
    expectClean(report);
  }, 240_000);

  it('schema registry stopped (cut from every service): cached schemas keep working, the gateway keeps answering 202', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-registry');
    await ledger.sendScenario();
    expect(await ledger.sendFillers(150)).toBe(202);
    pipeline.proxies.registry.cut();
    try {
      // The registry is away for the pipeline once a worker's readiness says so.
      await waitFor(async () => ((await pipeline.ready('indexer')) ? undefined : true));
      const during: number[] = [];
      for (let i = 0; i < 3; i++) during.push(await ledger.sendFillers(50));
      expect(during).toEqual([202, 202, 202]);
      // Settled while the registry is still away: the workers kept going on cached schemas.
      expectClean(await ledger.settle('schema registry cut from the whole pipeline'));
    } finally {
      pipeline.proxies.registry.restore();
    }
  }, 300_000);
});
