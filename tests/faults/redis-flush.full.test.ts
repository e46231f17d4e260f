import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '@vigil/redis';
import { connectedRedis, windowCounts } from '../support/dedup-state.ts';
import { createFaultLedger, expectClean } from '../support/fault-ledger.ts';
import { startFaultPipeline, type FaultPipeline } from '../support/fault-pipeline.ts';
import { freePort } from '../support/ports.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Full fault matrix: Redis FLUSHALL under dedup. A FLUSHALL on the machine's shared Redis
 * would wipe every other test's and engineer's state, so dedup here runs on a private
 * redis-server (no persistence) of its own, and the fault is `FLUSHALL` on that server: every
 * dedup window and every per-alert decision is gone at once, as after a Redis lost without
 * AOF. The indexer's first-event-time claims and the gateway's keys stay in the shared Redis
 * (not part of this fault).
 *
 * What must hold: nothing accepted is lost, no id gets a second document, the incidents are
 * exactly the expected ones. What the wipe costs is counted, not hidden: alerts re-sent with
 * their ids are forwarded again and absorbed by the indexer's one-alert-one-document rule and
 * correlate's inbox; new alerts repeating a pre-wipe alert's fingerprint open a new window
 * and become alerts of their own (without the wipe they would have been folded into it).
 */

let server: ChildProcess;
let redis: RedisClient;
let pipeline: FaultPipeline;
beforeAll(async () => {
  const port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  redis = await waitFor(() => connectedRedis(url));
  pipeline = await startFaultPipeline({}, { dedupRedisUrl: url });
});
afterAll(async () => {
  await pipeline?.stop();
  redis?.disconnect();
  server?.kill('SIGKILL');
});

describe('fault matrix (full): Redis FLUSHALL under dedup', () => {
  it('after the wipe, re-sent alerts stay one document each and repeats are counted as new alerts; nothing lost', async () => {
    const ledger = await createFaultLedger(pipeline, 'fm-flush');
    await ledger.sendScenario();
    await ledger.sendFillers(150);
    // Everything decided (and indexed) before the wipe, so what follows is only the wipe's doing.
    expectClean(await ledger.settle('before FLUSHALL of dedup\'s Redis'));
    expect((await windowCounts(redis, ledger.tenant)).length).toBeGreaterThan(0);
    expect(await redis.flushall()).toBe('OK');
    expect(await redis.dbsize()).toBe(0);
    // New ids with the fingerprints of 50 pre-wipe fillers: no window remembers them now.
    const repeats = await ledger.sendRepeats(0, 50);
    expect(repeats.status).toBe(202);
    // The same 150 fillers again, with their ids: dedup no longer knows it decided them.
    await ledger.resendFillers();
    const report = await ledger.settle('FLUSHALL of dedup\'s Redis, then repeats and re-sends');
    expect([report.sent, report.accepted]).toEqual([8 + 150 + 50 + 150, 8 + 150 + 50]);
    expect([report.lost, report.duplicated, report.deadLettered]).toEqual([0, 0, 0]);
    expect(report.indexed).toBe(report.accepted);
    expect(report.incidentsRaised).toBe(report.incidentsExpected);
    const repeatsIndexed = await ledger.indexedOf(repeats.ids);
    process.stdout.write(`[fault-matrix] fault=FLUSHALL cost: repeats of pre-wipe alerts indexed as alerts of their own=${repeatsIndexed} of ${repeats.ids.length}\n`);
    expect(repeatsIndexed).toBe(50);
  }, 420_000);
});
