import { stages } from '@vigil/contracts';
import { partitionLag, type Kafka } from '@vigil/kafka';
import type { SearchClient } from '@vigil/search';
import type { DevContext, ServiceName, ServiceProcess } from '@vigil/dev-stack';
import type { BenchConfig } from './config.ts';
import type { CpuAccount, RssSampler } from './proc.ts';

/** What every phase gets: the stack's clients, the services started so far, the samplers. */
export interface Bench {
  readonly cli: DevContext;
  readonly config: BenchConfig;
  /** Unique per run: tenants, index and log names carry it. */
  readonly runId: string;
  readonly search: SearchClient;
  readonly kafka: Kafka;
  /** One connected admin client for lag polling. */
  readonly admin: ReturnType<Kafka['admin']>;
  readonly services: Map<ServiceName, ServiceProcess>;
  readonly cpu: CpuAccount;
  readonly rss: RssSampler;
  /** Run at the end, also on error and Ctrl-C (latest first). */
  onCleanup(step: () => Promise<void>): void;
  log(line: string): void;
}

export const tenantOf = (bench: Bench, role: string) => `bench-${bench.runId}-${role}`;

/**
 * The bench's own consumer groups, one per worker, reading what the stage reads. Private
 * groups started at the end of their inputs: a backlog others left in the standard
 * groups (a demo, an earlier bench) is not in front of the measurement, and a running
 * demo keeps its partitions.
 */
export const benchWorkerStages = ['dedup', 'correlate', 'indexer'] as const;

export function benchGroups(runId: string): ReadonlyArray<{ readonly group: string; readonly stage: (typeof benchWorkerStages)[number]; readonly topics: readonly string[] }> {
  return benchWorkerStages.map((stage) => ({ group: `bench.${runId}.${stage}`, stage, topics: stages[stage].inputs.map((t) => t.name) }));
}

/** Records not yet committed, per group (summed over its topics and partitions). */
export async function pipelineLag(bench: Pick<Bench, 'admin' | 'runId'>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { group, stage, topics } of benchGroups(bench.runId)) {
    let sum = 0;
    for (const topic of topics) for (const lag of (await partitionLag(bench.admin, group, topic)).values()) sum += Math.max(0, lag);
    out[stage] = sum;
  }
  return out;
}

/** Prometheus text → value of every sample, keyed by the full series text. */
export async function scrape(opsUrl: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  try {
    const response = await fetch(`${opsUrl}/metrics`, { signal: AbortSignal.timeout(3000) });
    for (const line of (await response.text()).split('\n')) {
      if (line.length === 0 || line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      const value = Number(line.slice(space + 1));
      if (Number.isFinite(value)) out.set(line.slice(0, space), value);
    }
  } catch {
    // A service that does not answer simply has no numbers for this snapshot.
  }
  return out;
}

/** Sum of every series of `metric` whose labels contain all `labels` (e.g. `stage="dedup"`). */
export function metricSum(samples: Map<string, number>, metric: string, ...labels: string[]): number {
  let sum = 0;
  for (const [series, value] of samples) {
    const brace = series.indexOf('{');
    const name = brace === -1 ? series : series.slice(0, brace);
    if (name !== metric) continue;
    if (labels.every((l) => series.includes(l))) sum += value;
  }
  return sum;
}

export type StageCounters = Record<string, { recordsIn: number; batches: number; handleCalls: number; batchSeconds: number; retries: number; deadLettered: number; cpuSeconds: number; eventLoopLagP99: number }>;

/** Stage counters of the running workers (and the process counters of every service). */
export async function stageCounters(bench: Bench): Promise<StageCounters> {
  const out: StageCounters = {};
  await Promise.all(
    [...bench.services].map(async ([name, proc]) => {
      const m = await scrape(proc.opsUrl);
      out[name] = {
        recordsIn: metricSum(m, 'vigil_stage_records_in_total'),
        batches: metricSum(m, 'vigil_stage_batch_seconds_count'),
        handleCalls: metricSum(m, 'vigil_stage_handle_calls_total'),
        batchSeconds: metricSum(m, 'vigil_stage_batch_seconds_sum'),
        retries: metricSum(m, 'vigil_stage_retries_total'),
        deadLettered: metricSum(m, 'vigil_stage_dead_lettered_total'),
        cpuSeconds: metricSum(m, 'process_cpu_seconds_total'),
        eventLoopLagP99: metricSum(m, 'nodejs_eventloop_lag_p99_seconds'),
      };
    }),
  );
  return out;
}

export interface StageWindow {
  readonly recordsPerSecond: number;
  readonly records: number;
  /** Slices handled; records ÷ slices is the batching the stage got at that load. */
  readonly batches: number;
  /** Calls of the stage's handler: the slices of partitions that arrived together share one. */
  readonly handleCalls: number;
  readonly meanBatchMs: number | null;
  readonly retries: number;
  readonly deadLettered: number;
  readonly cpuCores: number;
}

export function countersBetween(a: StageCounters, b: StageCounters, seconds: number): Record<string, StageWindow> {
  const out: Record<string, StageWindow> = {};
  for (const [name, end] of Object.entries(b)) {
    const start = a[name] ?? { recordsIn: 0, batches: 0, handleCalls: 0, batchSeconds: 0, retries: 0, deadLettered: 0, cpuSeconds: 0, eventLoopLagP99: 0 };
    const records = end.recordsIn - start.recordsIn;
    const batches = end.batches - start.batches;
    out[name] = {
      records,
      batches,
      handleCalls: end.handleCalls - start.handleCalls,
      recordsPerSecond: seconds > 0 ? Math.round((records / seconds) * 10) / 10 : 0,
      meanBatchMs: batches > 0 ? Math.round(((end.batchSeconds - start.batchSeconds) / batches) * 10_000) / 10 : null,
      retries: end.retries - start.retries,
      deadLettered: end.deadLettered - start.deadLettered,
      cpuCores: seconds > 0 ? Math.round(((end.cpuSeconds - start.cpuSeconds) / seconds) * 100) / 100 : 0,
    };
  }
  return out;
}

/**
 * Matches a tenant's documents whatever the index mapping: `tenant_id` is a keyword in
 * the template, but an alert index created before the template existed maps it as text
 * with a `.keyword` sub-field (see `alertIndexWarnings`).
 */
export function tenantFilter(tenant: string): object {
  return { bool: { should: [{ term: { tenant_id: tenant } }, { term: { 'tenant_id.keyword': tenant } }], minimum_should_match: 1 } };
}

/** Today's alert index (where the pipeline writes the bench alerts) should come from the template. */
export async function alertIndexWarnings(bench: Bench, index: string): Promise<string[]> {
  const exists = await bench.search.indices.exists({ index });
  if (!exists.body) return [];
  const res = await bench.search.indices.get({ index });
  const body = (res.body as Record<string, { mappings?: { dynamic?: string; properties?: Record<string, { type?: string }> }; settings?: { index?: { number_of_replicas?: string } } }>)[index];
  const warnings: string[] = [];
  const tenantType = body?.mappings?.properties?.['tenant_id']?.type;
  if (body?.mappings?.dynamic !== 'strict' || tenantType !== 'keyword') {
    warnings.push(`${index} was not created from the vigil-alerts template (dynamic=${String(body?.mappings?.dynamic)}, tenant_id is ${String(tenantType)}, ${Object.keys(body?.mappings?.properties ?? {}).length} top-level fields): the end-to-end alerts are indexed with a dynamic mapping, unlike the ceiling index`);
  }
  const replicas = body?.settings?.index?.number_of_replicas;
  if (replicas !== undefined && replicas !== '0') warnings.push(`${index} has ${replicas} replica(s) on a one-node cluster (health yellow)`);
  return warnings;
}

export interface SearchNodeStats {
  readonly refreshes: number;
  readonly refreshSeconds: number;
  readonly indexOps: number;
  readonly indexSeconds: number;
  readonly gets: number;
  readonly searches: number;
  /** Shard-level bulk requests done by the write pool: with one shard per index, bulk requests per index. */
  readonly writes: number;
}

/** Node-level counters of the one OpenSearch node: how many refreshes and index ops a phase caused. */
export async function searchNodeStats(bench: Bench): Promise<SearchNodeStats | null> {
  try {
    const res = await bench.search.nodes.stats({ metric: 'indices,thread_pool', index_metric: 'refresh,indexing,get,search' });
    const node = Object.values((res.body as { nodes: Record<string, { indices: Record<string, Record<string, number>>; thread_pool?: Record<string, { completed?: number }> }> }).nodes)[0];
    if (!node) return null;
    const i = node.indices;
    return {
      refreshes: i['refresh']?.['total'] ?? 0,
      refreshSeconds: (i['refresh']?.['total_time_in_millis'] ?? 0) / 1000,
      indexOps: i['indexing']?.['index_total'] ?? 0,
      indexSeconds: (i['indexing']?.['index_time_in_millis'] ?? 0) / 1000,
      gets: i['get']?.['total'] ?? 0,
      searches: i['search']?.['query_total'] ?? 0,
      writes: node.thread_pool?.['write']?.completed ?? 0,
    };
  } catch {
    return null;
  }
}

export function searchStatsBetween(a: SearchNodeStats | null, b: SearchNodeStats | null, seconds: number): Record<string, number> | null {
  if (!a || !b || seconds <= 0) return null;
  const per = (x: number) => Math.round((x / seconds) * 10) / 10;
  return {
    refreshesPerSecond: per(b.refreshes - a.refreshes),
    refreshBusyShare: Math.round(((b.refreshSeconds - a.refreshSeconds) / seconds) * 1000) / 1000,
    indexOpsPerSecond: per(b.indexOps - a.indexOps),
    indexBusyShare: Math.round(((b.indexSeconds - a.indexSeconds) / seconds) * 1000) / 1000,
    searchesPerSecond: per(b.searches - a.searches),
    writeRequestsPerSecond: per(b.writes - a.writes),
  };
}
