import { afterAll, beforeAll, describe, it } from 'vitest';
import { createFaultLedger, expectClean, type LedgerReport } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline, type Worker } from '../support/fault-pipeline.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Full fault matrix: each worker's store taken away mid-stream through the worker's own TCP
 * proxy (the shared stack keeps running for everyone else), alerts keep arriving during
 * the outage, then the store comes back. The worker must pause, not skip or dead-letter,
 * and resume by itself (I3, I4).
 */

let pipeline: FaultPipeline;
beforeAll(async () => {
  pipeline = await startFaultPipeline();
});
afterAll(async () => {
  await pipeline?.stop();
});

async function storeOutage(worker: Worker, store: 'redis' | 'postgres' | 'opensearch', prefix: string): Promise<LedgerReport> {
  const ledger = await createFaultLedger(pipeline, prefix);
  const proxy = pipeline.proxies[store];
  await ledger.sendScenario();
  await ledger.sendFillers(150);
  proxy.cut();
  try {
    // The outage is real for the worker once its health check says so.
    await waitFor(async () => ((await pipeline.ready(worker)) ? undefined : true));
    await ledger.sendFillers(150);
  } finally {
    proxy.restore();
  }
  await waitFor(async () => ((await pipeline.ready(worker)) ? true : undefined));
  await ledger.sendFillers(50);
  return ledger.settle(`${store} cut from ${worker}`);
}

describe('fault matrix (full): store outages', () => {
  it('OpenSearch stopped and restarted under the indexer', async () => {
    expectClean(await storeOutage('indexer', 'opensearch', 'fm-os'));
  }, 300_000);

  it('Redis restarted under dedup', async () => {
    expectClean(await storeOutage('dedup', 'redis', 'fm-redis'));
  }, 300_000);

  it('Postgres restarted under correlate', async () => {
    expectClean(await storeOutage('correlate', 'postgres', 'fm-pg'));
  }, 300_000);
});
