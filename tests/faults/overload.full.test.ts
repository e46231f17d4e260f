import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultLedger } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline } from '../support/fault-pipeline.ts';

/**
 * Full fault matrix: overload at the gateway. The gateway runs with a small per-tenant rate
 * (60 requests a minute) and few concurrent requests (4); the test offers twice that rate,
 * 120 requests in about a minute, in bursts of 8 at once. Every request must get a clear
 * answer (202 accepted, 429 rate-limited or 503 overloaded: never a 5xx of another kind, a
 * hang or a half answer), and everything answered 202 must be indexed exactly once (I1, I7).
 */

const RATE_PER_MINUTE = 60;
const BURST = 8;
const BURSTS = (2 * RATE_PER_MINUTE) / BURST;

let pipeline: FaultPipeline;
beforeAll(async () => {
  // Variables only the gateway reads; the other services ignore them.
  pipeline = await startFaultPipeline({ TENANT_RATE_LIMIT_PER_MINUTE: String(RATE_PER_MINUTE), MAX_CONCURRENT_REQUESTS: '4' });
});
afterAll(async () => {
  await pipeline?.stop();
});

describe('fault matrix (full): overload', () => {
  it('twice the gateway\'s rate: every request answered 202, 429 or 503; every 202 indexed once', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-overload');
    await ledger.sendScenario();
    const statuses: number[] = [];
    for (let burst = 0; burst < BURSTS; burst++) {
      const started = Date.now();
      statuses.push(...(await Promise.all(Array.from({ length: BURST }, () => ledger.sendFillers(5)))));
      // Paced to twice the rate: one burst every 4 s; the pause only spaces the offer.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 4_000 - (Date.now() - started))));
    }
    const counts = Object.fromEntries([202, 429, 503].map((s) => [s, statuses.filter((x) => x === s).length]));
    process.stdout.write(`[fault-matrix] overload answers: ${JSON.stringify(counts)} of ${statuses.length}\n`);
    expect(statuses.filter((s) => ![202, 429, 503].includes(s))).toEqual([]);
    // The overload was real: the gateway refused part of the offer, and took part of it.
    expect(counts[202]).toBeGreaterThan(0);
    expect(counts[429]! + counts[503]!).toBeGreaterThan(0);
    const report = await ledger.settle('overload: twice the gateway\'s rate');
    expect(report.accepted).toBe(8 + 5 * counts[202]!);
    expect([report.lost, report.duplicated, report.deadLettered]).toEqual([0, 0, 0]);
    expect(report.indexed).toBe(report.accepted);
    expect(report.incidentsRaised).toBe(report.incidentsExpected);
  }, 420_000);
});
