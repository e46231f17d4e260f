import type { Agent } from 'node:http';
import { groupMembers, ownedPartitions } from '@vigil/kafka';
import { ALERT_INDEX_PATTERN } from '@vigil/search';
import { instanceMetricsPort, scalableWorkers, startService, type ScalableWorker, type ServiceProcess } from '@vigil/dev-stack';
import { batchBody } from '../alerts.ts';
import { importBenchRules } from '../bench-rules.ts';
import { benchGroups, metricSum, scrape, tenantFilter, tenantOf, type Bench } from '../context.ts';
import { cpuSecondsOf, pipelineCpuSeconds } from '../cpu-floor.ts';
import { closedLoop, type HttpTarget, type StatusCounts } from '../http-load.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { benchServiceEnv } from '../services.ts';
import { pollUntil, rate, round, sleep } from '../stats.ts';
import { drain } from './pipeline.ts';

/** One measurement: N alerts through the pipeline with `instances` processes of every worker. */
export interface ScaleOutPass {
  readonly instances: number;
  readonly tenant: string;
  readonly posted: number;
  readonly accepted: number;
  readonly statuses: StatusCounts;
  /** Accepted ids with at least one document, counted from OpenSearch by id after a refresh. */
  readonly indexed: number;
  readonly lost: number;
  /** Accepted ids with more than one document (across the daily indices). */
  readonly duplicated: number;
  /** Documents of the tenant whose id the gateway never accepted. */
  readonly unexpected: number;
  /** First 202 until `_count` (no forced refresh) reached `accepted`. */
  readonly seconds: number | null;
  readonly alertsPerSecond: number | null;
  /**
   * Records dedup took from alerts.raw.v1 over the pass, all instances: the pass's alerts
   * plus whatever others produced to the shared topic meanwhile (their tests, a demo),
   * which the bench's groups process too. The CPU per alert divides by this.
   */
  readonly recordsEntering: number;
  /** Every bench group (correlate too) committed everything before the pass ended. */
  readonly drained: boolean;
  /** Records each instance of a stage handled (its own /metrics): all of them working. */
  readonly recordsByInstance: Record<string, number[]>;
  /** Milliseconds of CPU per alert entering the pipeline: each stage over all its instances, the stores, and the whole pipeline. */
  readonly cpuMsPerAlert: Record<string, number>;
  readonly cpu: CpuShare;
}

export interface ScaleOut {
  readonly passes: ScaleOutPass[];
  /** Per stage, how the second pass's group split the partitions: partitions per member. */
  readonly split: Record<string, number[]>;
}

/** The second and further instances of the workers this phase starts; stopped at its end. */
type Replicas = Map<string, { stage: ScalableWorker; proc: ServiceProcess }>;

const STORES = ['ingest-api', 'kafka', 'schema-registry', 'opensearch', 'postgres', 'redis'];

async function documentIds(bench: Bench, tenant: string): Promise<string[]> {
  await bench.search.indices.refresh({ index: ALERT_INDEX_PATTERN });
  const ids: string[] = [];
  let res = await bench.search.search({ index: ALERT_INDEX_PATTERN, scroll: '1m', size: 5000, body: { _source: false, query: tenantFilter(tenant) } });
  for (;;) {
    const body = res.body as { _scroll_id?: string; hits: { hits: { _id: string }[] } };
    if (body.hits.hits.length === 0 || !body._scroll_id) {
      if (body._scroll_id) await bench.search.clearScroll({ scroll_id: body._scroll_id }).catch(() => undefined);
      return ids;
    }
    ids.push(...body.hits.hits.map((h) => h._id));
    res = await bench.search.scroll({ scroll_id: body._scroll_id, scroll: '1m' });
  }
}

async function tenantCount(bench: Bench, tenant: string): Promise<number> {
  const res = await bench.search.count({ index: ALERT_INDEX_PATTERN, body: { query: tenantFilter(tenant) } });
  return (res.body as { count: number }).count;
}

/** Every worker process of the pass, by stage, in instance order. */
function workerProcs(bench: Bench, replicas: Replicas): Record<string, ServiceProcess[]> {
  return Object.fromEntries(scalableWorkers.map((stage) => [stage, [bench.services.get(stage), ...[...replicas.values()].filter((r) => r.stage === stage).map((r) => r.proc)].filter((p): p is ServiceProcess => p !== undefined)]));
}

async function recordsIn(procs: Record<string, ServiceProcess[]>): Promise<Record<string, number[]>> {
  const entries = await Promise.all(Object.entries(procs).map(async ([stage, ps]) => [stage, await Promise.all(ps.map(async (p) => metricSum(await scrape(p.opsUrl), 'vigil_stage_records_in_total')))] as const));
  return Object.fromEntries(entries);
}

async function measure(bench: Bench, agent: Agent, target: HttpTarget, tenant: string, instances: number, replicas: Replicas): Promise<ScaleOutPass> {
  const { config } = bench;
  const n = config.scaleOutN;
  const now = Date.now();
  // The sensor's own ids: the bench knows every id in advance and checks each one.
  const bodies = Array.from({ length: Math.ceil(n / config.batchSize) }, (_, i) => batchBody(i * config.batchSize, Math.min(config.batchSize, n - i * config.batchSize), { stream: tenant, now, withId: true }));
  const procs = workerProcs(bench, replicas);
  const recordsBefore = await recordsIn(procs);
  const cpuStart = bench.cpu.snapshot();
  const accepted = new Set<string>();
  let next = 0;
  const run = await closedLoop({
    agent,
    target,
    path: '/v1/alerts/batch?format=vigil',
    clients: config.clients,
    next: () => (next < bodies.length ? bodies[next++]! : null),
    deadlineMs: 120_000,
    readBody: true,
    onResult: (r) => {
      if ((r.status !== 202 && r.status !== 207) || !r.body) return;
      for (const result of (JSON.parse(r.body) as { results: { status: string; id?: string }[] }).results) if (result.status === 'accepted' && result.id) accepted.add(result.id);
    },
  });
  const searchableAt = await pollUntil(async () => ((await tenantCount(bench, tenant).catch(() => -1)) >= accepted.size ? performance.now() : undefined), config.e2eTimeoutS * 1000, 200);
  // Correlate is not on the path to searchable, but a pass is only over when every stage has caught up.
  const drained = await drain(bench, `scale-out ×${instances}`, config.drainTimeoutS);
  const cpu = cpuBetween(cpuStart, bench.cpu.snapshot());
  const recordsAfter = await recordsIn(procs);

  const copies = new Map<string, number>();
  for (const id of await documentIds(bench, tenant)) copies.set(id, (copies.get(id) ?? 0) + 1);
  const indexed = [...accepted].filter((id) => copies.has(id)).length;
  const seconds = run.firstAt !== null && searchableAt !== undefined ? (searchableAt - run.firstAt) / 1000 : null;
  const recordsByInstance = Object.fromEntries(Object.entries(recordsAfter).map(([stage, after]) => [stage, after.map((v, i) => v - (recordsBefore[stage]?.[i] ?? 0))]));
  const recordsEntering = Math.max(accepted.size, (recordsByInstance['dedup'] ?? []).reduce((a, b) => a + b, 0));
  const perAlert = (cpuSeconds: number) => (recordsEntering > 0 ? round((cpuSeconds * 1000) / recordsEntering, 3) : 0);
  const cpuMsPerAlert: Record<string, number> = {};
  for (const stage of scalableWorkers) cpuMsPerAlert[stage] = perAlert(cpuSecondsOf(cpu, [stage, ...[...replicas.keys()].filter((k) => replicas.get(k)!.stage === stage)]));
  for (const store of STORES) cpuMsPerAlert[store] = perAlert(cpuSecondsOf(cpu, [store]));
  cpuMsPerAlert['pipeline'] = perAlert(pipelineCpuSeconds(cpu));
  return {
    instances,
    tenant,
    posted: n,
    accepted: accepted.size,
    statuses: run.statuses,
    indexed,
    lost: accepted.size - indexed,
    duplicated: [...accepted].filter((id) => (copies.get(id) ?? 0) > 1).length,
    unexpected: [...copies.keys()].filter((id) => !accepted.has(id)).length,
    seconds: seconds === null ? null : round(seconds, 2),
    alertsPerSecond: seconds === null ? null : rate(accepted.size, seconds * 1000),
    recordsEntering,
    drained: drained.drained,
    recordsByInstance,
    cpuMsPerAlert,
    cpu,
  };
}

/** Until every bench group is stable with `members` members that all own partitions; the split per stage. */
async function awaitSharedGroups(bench: Bench, members: number, timeoutS: number): Promise<Record<string, number[]>> {
  const deadline = performance.now() + timeoutS * 1000;
  for (;;) {
    const groups = await Promise.all(benchGroups(bench.runId).map(async ({ group, stage }) => [stage, await groupMembers(bench.admin, group)] as const));
    if (groups.every(([, g]) => g.state === 'Stable' && g.members.length === members && g.members.every((m) => ownedPartitions(m) > 0))) {
      return Object.fromEntries(groups.map(([stage, g]) => [stage, g.members.map(ownedPartitions).sort((a, b) => b - a)]));
    }
    if (performance.now() > deadline) throw new Error(`consumer groups not shared by ${members} members within ${timeoutS}s: ${groups.map(([s, g]) => `${s} ${g.state} ${g.members.map(ownedPartitions).join('/')}`).join(', ')}`);
    await sleep(500);
  }
}

/**
 * (9) Scale-out: the same measurement with one and with two processes of every worker
 * (dedup, correlate, indexer), the second ones in the bench's groups (`bench.<run>.<stage>`)
 * on metrics ports base + 10, so each stage's partitions are split between two members.
 * Each pass: alerts with known ids for a fresh tenant with the 100-rule set, timed from
 * the first 202 until all are searchable, then every id looked up in OpenSearch (lost,
 * duplicated), and the CPU per alert of each stage over its instances.
 */
export async function scaleOut(bench: Bench, agent: Agent, targetFor: (tenant: string) => Promise<HttpTarget>): Promise<ScaleOut> {
  const tenants = [tenantOf(bench, 'scale1'), tenantOf(bench, 'scale2')] as const;
  await importBenchRules(bench.cli.serviceEnv['DATABASE_URL']!, tenants);
  const replicas: Replicas = new Map();
  const passes = [await measure(bench, agent, await targetFor(tenants[0]), tenants[0], 1, replicas)];

  bench.onCleanup(async () => {
    await Promise.all([...replicas.values()].map((r) => r.proc.stop('SIGTERM', 15_000)));
    replicas.clear();
  });
  await Promise.all(
    scalableWorkers.map(async (stage) => {
      const env = { ...benchServiceEnv(bench, stage), METRICS_PORT: String(instanceMetricsPort(bench.config.ports.metrics[stage], 2)) };
      const proc = await startService(bench.cli, stage, { env, instance: 'bench-2', readyTimeoutMs: 90_000 });
      const key = `${stage} #2`;
      replicas.set(key, { stage, proc });
      bench.cpu.add(key, () => (replicas.has(key) ? [proc.pid] : []));
    }),
  );
  const split = await awaitSharedGroups(bench, 2, 90);
  bench.log(`   partitions per member: ${Object.entries(split).map(([s, p]) => `${s} ${p.join('+')}`).join(', ')}`);
  passes.push(await measure(bench, agent, await targetFor(tenants[1]), tenants[1], 2, replicas));
  await Promise.all([...replicas.values()].map((r) => r.proc.stop('SIGTERM', 15_000)));
  replicas.clear();
  return { passes, split };
}
