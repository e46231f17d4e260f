import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultLedger } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline } from '../support/fault-pipeline.ts';
import { kafkaFault, managedKafkaPid } from '../support/kafka-fault.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Full fault matrix: the Kafka broker stopped and restarted under the whole pipeline. The
 * gateway answers 503 (never 202) while it is down, so those alerts are not accepted and
 * not owed; everything accepted before and after is indexed once and the incidents raised,
 * with every worker reconnecting by itself (I3, I7).
 */

const fault = kafkaFault();
const managed = (await managedKafkaPid()) !== undefined;
let pipeline: FaultPipeline;
beforeAll(async () => {
  pipeline = await startFaultPipeline();
});
afterAll(async () => {
  await fault.restore();
  await pipeline?.stop();
});

describe('fault matrix (full): Kafka broker', () => {
  it.skipIf(!managed)('stopped and restarted: 503 while down, nothing accepted lost or doubled', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-kafka');
    await ledger.sendScenario();
    expect(await ledger.sendFillers(150)).toBe(202);
    await fault.stop();
    const during: number[] = [];
    try {
      for (let i = 0; i < 3; i++) during.push(await ledger.sendFillers(50));
    } finally {
      await fault.restore();
    }
    expect(during).toEqual([503, 503, 503]);
    // The gateway's producer reconnects on its own; a 202 again is the proof.
    await waitFor(async () => ((await ledger.sendFillers(10)) === 202 ? true : undefined), 120_000, 1000);
    const report = await ledger.settle('kafka broker stopped and restarted');
    expect(report.accepted).toBe(158 + 10);
    expect([report.lost, report.duplicated, report.deadLettered]).toEqual([0, 0, 0]);
    expect(report.indexed).toBe(report.accepted);
    expect(report.incidentsRaised).toBe(report.incidentsExpected);
  }, 420_000);
});
