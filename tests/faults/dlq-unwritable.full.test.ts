import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, topics } from '@vigil/contracts';
import { committedOffsets } from '@vigil/kafka';
import { metric } from '../support/dedup-state.ts';
import { dlqFault } from '../support/dlq-fault.ts';
import { createFaultLedger, expectClean } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline } from '../support/fault-pipeline.ts';
import { testKafka } from '../support/kafka.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Full fault matrix: a DLQ that cannot be written. The dedup DLQ (`dlq.dedup.v1`, on the
 * shared broker) gets a topic-level `max.message.bytes` no record batch fits, so the broker
 * refuses every dead letter, even one trimmed to its envelope. A poison record then cannot
 * be settled: dedup must hold it (retry, pause, never commit past it, never drop it), and
 * once the topic takes writes again dead-letter it exactly once and carry on (I3, I4, I5).
 */

const kafka = testKafka();
const fault = dlqFault(kafka, stages.dedup.dlq.name);
let pipeline: FaultPipeline;
beforeAll(async () => {
  pipeline = await startFaultPipeline();
});
afterAll(async () => {
  await fault.restore();
  await pipeline?.stop();
});

/** How often dedup has logged a slice whose outputs or dead letters could not be written. */
const writeFailures = () => pipeline.logFiles().reduce((n, file) => n + readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('writing outputs or dead letters failed')).length, 0);

describe('fault matrix (full): a DLQ that cannot be written', () => {
  it('dedup holds a poison record while its DLQ refuses writes, then dead-letters it once; nothing lost', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-dlq');
    await ledger.sendScenario();
    await ledger.sendFillers(100);
    const failuresBefore = writeFailures();
    await fault.refuse();
    try {
      const [poison] = await ledger.injectPoison(['domain']);
      await ledger.sendFillers(100);
      // The refusal is real once dedup has failed to write the letter; after its retries the partition pauses.
      await waitFor(async () => (writeFailures() > failuresBefore ? true : undefined), 90_000, 500);
      await waitFor(async () => ((await metric(pipeline.opsUrl('dedup'), 'vigil_stage_paused_partitions')) > 0 ? true : undefined), 90_000, 500);
      const committed = (await committedOffsets(kafka, pipeline.groupOf('dedup'), topics.alertsRaw.name)).get(poison!.partition) ?? -1;
      expect(committed).toBeLessThanOrEqual(Number(poison!.offset));
      expect(await ledger.deadLettered()).toBe(0);
    } finally {
      await fault.restore();
    }
    await ledger.sendFillers(50);
    const report = await ledger.settle('dedup DLQ refusing writes, then writable');
    expect(report.poisoned).toBe(1);
    expectClean(report);
  }, 420_000);
});
