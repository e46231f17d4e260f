import type { Agent } from 'node:http';
import { ALERT_INDEX_PATTERN } from '@vigil/search';
import { batchBody } from '../alerts.ts';
import type { Bench } from '../context.ts';
import { countersBetween, pipelineLag, stageCounters, tenantFilter } from '../context.ts';
import type { HttpTarget, StatusCounts } from '../http-load.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { rate, round, sleep } from '../stats.ts';
import { postBatches } from './gateway.ts';

export interface EndToEnd {
  readonly tenant: string;
  readonly posted: number;
  readonly accepted: number;
  readonly statuses: StatusCounts;
  /** Posting took this long (the gateway is faster than the pipeline, so a backlog forms). */
  readonly postSeconds: number;
  /** From the first 202 until `_count` of the tenant's alerts reached `accepted`. */
  readonly seconds: number | null;
  readonly alertsPerSecond: number | null;
  /** Searchable/s between 10% and 90% of the total: the steady state, without start-up and refresh tail. */
  readonly steadyAlertsPerSecond: number | null;
  /**
   * From the first 202 until the alerts are searchable and every stage's lag is zero
   * (correlated, incidents indexed): the whole pipeline done. Correlate is not on the
   * searchable path and may finish later; its rate is the one the pipeline sustains.
   */
  readonly settledSeconds: number | null;
  readonly pipelineAlertsPerSecond: number | null;
  readonly searchable: number;
  readonly timeline: { t: number; count: number }[];
  /** Consumer lag per group, sampled every second: the stage whose lag grows is the one that cannot keep up. */
  readonly lagTimeline: { t: number; lag: Record<string, number> }[];
  readonly maxLag: Record<string, number>;
  readonly stages: ReturnType<typeof countersBetween>;
  readonly cpu: CpuShare;
}

async function tenantCount(bench: Bench, tenant: string): Promise<number> {
  const res = await bench.search.count({ index: ALERT_INDEX_PATTERN, body: { query: tenantFilter(tenant) } });
  return (res.body as { count: number }).count;
}

/**
 * `e2eN` alerts with distinct fingerprints for one fresh tenant, posted as fast as the
 * gateway takes them, timed from the first 202 until all of them are searchable
 * (`_count` without a forced refresh, so the 1 s refresh interval is part of it).
 */
export async function endToEnd(bench: Bench, agent: Agent, target: HttpTarget, tenant: string): Promise<EndToEnd> {
  const { config } = bench;
  const now = Date.now();
  const batches = Math.ceil(config.e2eN / config.batchSize);
  const bodies = Array.from({ length: batches }, (_, i) => batchBody(i * config.batchSize, Math.min(config.batchSize, config.e2eN - i * config.batchSize), { stream: tenant, now }));
  const timeline: { t: number; count: number }[] = [];
  let accepted = 0;
  let posting = true;
  const cpuStart = bench.cpu.snapshot();
  const countersStart = await stageCounters(bench);
  const started = performance.now();

  // The poller runs while posting and afterwards, until the count reaches what was accepted.
  const lagTimeline: { t: number; lag: Record<string, number> }[] = [];
  const lagPoller = (async () => {
    while (posting || lagTimeline.length === 0 || Object.values(lagTimeline.at(-1)!.lag).some((v) => v > 0)) {
      if (performance.now() - started > config.e2eTimeoutS * 1000) return;
      const lag = await pipelineLag(bench).catch(() => null);
      if (lag) lagTimeline.push({ t: round((performance.now() - started) / 1000, 2), lag });
      await sleep(1000);
    }
  })();
  const poller = (async () => {
    const deadline = performance.now() + config.e2eTimeoutS * 1000;
    for (;;) {
      const count = await tenantCount(bench, tenant).catch(() => -1);
      if (count >= 0) timeline.push({ t: performance.now(), count });
      if (!posting && count >= accepted) return;
      if (performance.now() > deadline) return;
      await sleep(200);
    }
  })();
  const posted = await postBatches(agent, target, config.clients, bodies, config.batchSize);
  const { run } = posted;
  accepted = posted.accepted;
  posting = false;
  await poller;
  await lagPoller;
  const maxLag: Record<string, number> = {};
  for (const { lag } of lagTimeline) for (const [g, v] of Object.entries(lag)) maxLag[g] = Math.max(maxLag[g] ?? 0, v);
  const countersEnd = await stageCounters(bench);
  const cpu = cpuBetween(cpuStart, bench.cpu.snapshot());

  const first = run.firstAt;
  const last = timeline.at(-1);
  const complete = last !== undefined && last.count >= accepted && accepted > 0;
  const doneAt = complete ? timeline.find((p) => p.count >= accepted)!.t : null;
  const seconds = first !== null && doneAt !== null ? (doneAt - first) / 1000 : null;
  const at = (share: number) => timeline.find((p) => p.count >= share * accepted);
  const p10 = at(0.1);
  const p90 = at(0.9);
  const steady = p10 && p90 && p90.t > p10.t ? rate(p90.count - p10.count, p90.t - p10.t) : null;
  const postedAt = (run.endedAt - started) / 1000;
  const settledSample = lagTimeline.find((s) => s.t >= postedAt && Object.values(s.lag).every((v) => v === 0));
  const settledAt = settledSample && doneAt !== null ? Math.max(doneAt, started + settledSample.t * 1000) : null;
  const settledSeconds = first !== null && settledAt !== null ? (settledAt - first) / 1000 : null;
  return {
    tenant,
    posted: config.e2eN,
    accepted,
    statuses: run.statuses,
    postSeconds: round((run.endedAt - run.startedAt) / 1000, 2),
    seconds: seconds === null ? null : round(seconds, 2),
    alertsPerSecond: seconds === null ? null : rate(accepted, seconds * 1000),
    steadyAlertsPerSecond: steady,
    settledSeconds: settledSeconds === null ? null : round(settledSeconds, 2),
    pipelineAlertsPerSecond: settledSeconds === null ? null : rate(accepted, settledSeconds * 1000),
    searchable: last?.count ?? 0,
    lagTimeline,
    maxLag,
    timeline: timeline.map((p) => ({ t: round((p.t - started) / 1000, 2), count: p.count })),
    stages: countersBetween(countersStart, countersEnd, (performance.now() - started) / 1000),
    cpu,
  };
}
