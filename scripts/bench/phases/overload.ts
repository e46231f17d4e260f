import type { Agent } from 'node:http';
import { batchBody } from '../alerts.ts';
import type { Bench } from '../context.ts';
import { countersBetween, scrape, metricSum, stageCounters } from '../context.ts';
import { openLoop, type HttpTarget, type StatusCounts } from '../http-load.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { rate, round, sleep, summary } from '../stats.ts';

export interface Overload {
  readonly targetAlertsPerSecond: number;
  readonly targetRequestsPerSecond: number;
  readonly seconds: number;
  readonly scheduled: number;
  readonly sent: number;
  readonly clientDropped: number;
  readonly statuses: StatusCounts;
  /** Share of answered requests that were 429 or 503 (shed), and that failed without an answer. */
  readonly shedShare: number;
  readonly transportErrorShare: number;
  readonly acceptedAlertsPerSecond: number;
  readonly requestMs: ReturnType<typeof summary>;
  /** Max VmRSS per service (kB): before (steady), during the overload, and 5 s after. */
  readonly rssKbBefore: Record<string, number>;
  readonly rssKbDuring: Record<string, number>;
  readonly rssKbAfter: Record<string, number>;
  /** Error codes of the non-202 answers (OVERLOADED: producer queue full; REQUEST_TIMEOUT: Kafka ack too slow). */
  readonly errorCodes: Record<string, number>;
  /** Answer time per status: a shed request should be answered fast. */
  readonly msByStatus: Record<string, ReturnType<typeof summary>>;
  /** Event-loop lag p99 (s) of each service right after the overload (from its /metrics). */
  readonly eventLoopLagP99: Record<string, number>;
  readonly stages: ReturnType<typeof countersBetween>;
  readonly cpu: CpuShare;
}

const OVERLOAD_BODIES = 50;

/**
 * Drive the gateway open-loop at `overloadFactor` × the measured batch rate for
 * `overloadSeconds` and watch resident memory of every service running: once in the
 * conditions of (3), workers stopped (accepted vs unloaded compares like with like), once
 * with the workers busy on the backlog (`label` overload-busy: the gateway then shares the
 * cores, and the workers' memory under a backlog is measured too). The bodies repeat (a storm of the same 5,000 alerts, each post a new id),
 * as a misbehaving sensor would; dedup folds the repeats into duplicate notices.
 */
export async function overload(bench: Bench, agent: Agent, target: HttpTarget, gatewayAlertsPerSecond: number, label = 'overload'): Promise<Overload> {
  const { config, rss } = bench;
  const tenant = `bench-${bench.runId}-${label === 'overload' ? 'ovl' : 'ovb'}`;
  const now = Date.now();
  const bodies = Array.from({ length: OVERLOAD_BODIES }, (_, i) => batchBody(i * config.batchSize, config.batchSize, { stream: tenant, now }));
  const targetAlerts = Math.max(config.batchSize, gatewayAlertsPerSecond * config.overloadFactor);
  const requestsPerSecond = targetAlerts / config.batchSize;

  rss.phase(`${label}-before`);
  await sleep(2000);
  rss.phase(label);
  const cpuStart = bench.cpu.snapshot();
  const countersStart = await stageCounters(bench);
  let accepted = 0;
  const errorCodes: Record<string, number> = {};
  const msByStatus = new Map<string, number[]>();
  const run = await openLoop({
    agent,
    target,
    path: '/v1/alerts/batch?format=vigil',
    ratePerSecond: requestsPerSecond,
    seconds: config.overloadSeconds,
    maxInFlight: config.overloadMaxInFlight,
    body: (i) => bodies[i % bodies.length]!,
    readBody: true,
    // The gateway's own REQUEST_TIMEOUT_MS default: a sensor waiting longer than the server promises has given up.
    timeoutMs: 15_000,
    onResult: (r) => {
      msByStatus.set(String(r.status), [...(msByStatus.get(String(r.status)) ?? []), r.ms]);
      if (r.status === 202) {
        accepted += config.batchSize;
        return;
      }
      let code = r.status === 0 ? `no answer (${r.failure ?? 'unknown'})` : `HTTP ${r.status}`;
      try {
        code = (JSON.parse(r.body ?? '') as { error?: { code?: string } }).error?.code ?? code;
      } catch {
        // not JSON: keep the status
      }
      errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    },
  });
  const cpu = cpuBetween(cpuStart, bench.cpu.snapshot());
  const countersEnd = await stageCounters(bench);
  const lag: Record<string, number> = {};
  for (const [name, proc] of bench.services) lag[name] = metricSum(await scrape(proc.opsUrl), 'nodejs_eventloop_lag_p99_seconds');
  rss.phase(`${label}-after`);
  await sleep(5000);
  rss.phase('after');

  const answered = Object.entries(run.statuses).filter(([s]) => s !== '0').reduce((a, [, n]) => a + n, 0);
  const shed = (run.statuses['429'] ?? 0) + (run.statuses['503'] ?? 0);
  const toRecord = (m: Map<string, number> | undefined) => Object.fromEntries([...(m ?? new Map<string, number>())]);
  return {
    targetAlertsPerSecond: round(targetAlerts),
    targetRequestsPerSecond: round(requestsPerSecond, 1),
    seconds: round(run.seconds, 1),
    scheduled: run.scheduled,
    sent: run.sent,
    clientDropped: run.clientDropped,
    statuses: run.statuses,
    shedShare: answered > 0 ? round(shed / answered, 4) : 0,
    transportErrorShare: run.sent > 0 ? round((run.statuses['0'] ?? 0) / run.sent, 4) : 0,
    acceptedAlertsPerSecond: rate(accepted, run.seconds * 1000),
    requestMs: summary(run.latenciesMs.map((v) => round(v, 1))),
    errorCodes,
    msByStatus: Object.fromEntries([...msByStatus].map(([status, ms]) => [status, summary(ms.map((v) => round(v)))])),
    rssKbBefore: toRecord(rss.max.get(`${label}-before`)),
    rssKbDuring: toRecord(rss.max.get(label)),
    rssKbAfter: toRecord(rss.max.get(`${label}-after`)),
    eventLoopLagP99: lag,
    stages: countersBetween(countersStart, countersEnd, run.seconds),
    cpu,
  };
}
