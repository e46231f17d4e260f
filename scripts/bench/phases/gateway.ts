import type { Agent } from 'node:http';
import { batchBody, vigilBody } from '../alerts.ts';
import type { Bench } from '../context.ts';
import { closedLoop, type ClosedLoopResult, type HttpTarget, type PostResult, type StatusCounts } from '../http-load.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { rate, round, summary } from '../stats.ts';

export interface GatewayRun {
  readonly clients: number;
  readonly requests: number;
  readonly accepted: number;
  readonly seconds: number;
  /** Alerts answered with 202 (acks=all in Kafka) per second. */
  readonly alertsPerSecond: number;
  readonly statuses: StatusCounts;
  readonly requestMs: ReturnType<typeof summary>;
  readonly cpu: CpuShare;
}

/** Alerts a response accepted: a batch says how many; a single 202 is one. */
export function acceptedOf(result: PostResult, perRequest: number): number {
  if ((result.status === 202 || result.status === 207) && result.body) {
    try {
      const accepted = (JSON.parse(result.body) as { accepted?: number }).accepted;
      if (typeof accepted === 'number') return accepted;
    } catch {
      // not JSON: fall through
    }
  }
  return result.status === 202 ? perRequest : 0;
}

/** Every body once through /v1/alerts/batch with `clients` keep-alive clients, counting the alerts accepted. */
export async function postBatches(agent: Agent, target: HttpTarget, clients: number, bodies: readonly Buffer[], perRequest: number): Promise<{ run: ClosedLoopResult; accepted: number }> {
  let i = 0;
  let accepted = 0;
  const run = await closedLoop({
    agent,
    target,
    path: '/v1/alerts/batch?format=vigil',
    clients,
    next: () => (i < bodies.length ? bodies[i++]! : null),
    deadlineMs: 120_000,
    readBody: true,
    onResult: (r) => (accepted += acceptedOf(r, perRequest)),
  });
  return { run, accepted };
}

function finish(run: ClosedLoopResult, accepted: number, clients: number, cpu: CpuShare): GatewayRun {
  const elapsed = run.endedAt - run.startedAt;
  return {
    clients,
    requests: run.requests,
    accepted,
    seconds: round(elapsed / 1000, 2),
    alertsPerSecond: rate(accepted, elapsed),
    statuses: run.statuses,
    requestMs: summary(run.latenciesMs.map((v) => round(v, 1))),
    cpu,
  };
}

/**
 * The real gateway process under M keep-alive clients: `gatewayN` alerts in batches
 * of `batchSize` through /v1/alerts/batch, then single alerts through /v1/alerts for
 * `singleSeconds`. Each answer is a 202 only after Kafka acknowledged with acks=all.
 */
export async function gatewayThroughput(bench: Bench, agent: Agent, target: HttpTarget): Promise<{ batch: GatewayRun; single: GatewayRun }> {
  const { config } = bench;
  const now = Date.now();
  const stream = `${bench.runId}-gw`;
  const batches = Math.ceil(config.gatewayN / config.batchSize);
  const bodies = Array.from({ length: batches }, (_, i) => batchBody(i * config.batchSize, config.batchSize, { stream, now }));

  // Warm-up (JIT, sockets, token cache, producer): not timed.
  let w = 0;
  await closedLoop({ agent, target, path: '/v1/alerts/batch?format=vigil', clients: config.clients, next: () => (w++ < config.clients * 3 ? bodies[w % bodies.length]! : null), deadlineMs: 30_000 });

  const cpuStart = bench.cpu.snapshot();
  const { run: batch, accepted } = await postBatches(agent, target, config.clients, bodies, config.batchSize);
  const batchRun = finish(batch, accepted, config.clients, cpuBetween(cpuStart, bench.cpu.snapshot()));

  const singles = Array.from({ length: 2000 }, (_, k) => Buffer.from(JSON.stringify(vigilBody(1_000_000 + k, { stream, now }))));
  let s = 0;
  let acceptedSingle = 0;
  const cpuSingle = bench.cpu.snapshot();
  const single = await closedLoop({
    agent,
    target,
    path: '/v1/alerts?format=vigil',
    clients: config.clients,
    next: () => singles[s++ % singles.length]!,
    deadlineMs: config.singleSeconds * 1000,
    onResult: (r) => (acceptedSingle += acceptedOf(r, 1)),
  });
  return { batch: batchRun, single: finish(single, acceptedSingle, config.clients, cpuBetween(cpuSingle, bench.cpu.snapshot())) };
}
