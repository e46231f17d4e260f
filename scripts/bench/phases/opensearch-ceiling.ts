import type { Alert } from '@vigil/contracts';
import { bulkWrite } from '@vigil/search';
import { indexerOp } from '../alerts.ts';
import type { Bench } from '../context.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { pollUntil, rate, round } from '../stats.ts';

export interface OpenSearchCeiling {
  readonly index: string;
  readonly docs: number;
  readonly bulkSize: number;
  readonly concurrency: number;
  readonly failedItems: number;
  readonly seconds: number;
  /** Documents acknowledged by bulk requests per second: the ceiling. */
  readonly docsPerSecond: number;
  /** Until `_count` (no forced refresh) saw all of them, from the first bulk request. */
  readonly searchableSeconds: number | null;
  readonly searchableDocsPerSecond: number | null;
  readonly cpu: CpuShare;
}

/**
 * The raw OpenSearch ceiling: the indexer's own bulk operations (merge-with-upsert by
 * alert id, same documents, same client settings) into a throwaway index that the
 * alert template shapes, with as many bulk requests in flight as the indexer has
 * partitions. No Kafka, no decoding: only what OpenSearch (and the client) cost.
 */
export async function opensearchCeiling(bench: Bench, alerts: readonly Alert[]): Promise<OpenSearchCeiling> {
  const { search, config } = bench;
  const index = `vigil-alerts-bench-${bench.runId}`;
  const now = Date.now();
  const ops = alerts.map((a) => indexerOp(a, index, now));
  await search.indices.create({ index });
  bench.onCleanup(async () => {
    await search.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
  });
  const mapping = await search.indices.getMapping({ index });
  const dynamic = (mapping.body as Record<string, { mappings?: { dynamic?: string } }>)[index]?.mappings?.dynamic;
  if (dynamic !== 'strict') throw new Error(`index ${index} did not get the vigil-alerts template (dynamic=${String(dynamic)}); is preparePlatform done?`);

  // Warm the client's connection pool and OpenSearch's JIT with one small bulk, not timed.
  await bulkWrite(search, ops.slice(0, 50));

  let next = 50;
  let failedItems = 0;
  const cpuStart = bench.cpu.snapshot();
  const started = performance.now();
  const worker = async () => {
    while (next < ops.length) {
      const slice = ops.slice(next, next + config.bulkSize);
      next += config.bulkSize;
      const results = await bulkWrite(search, slice);
      failedItems += results.filter((r) => !r.ok).length;
    }
  };
  await Promise.all(Array.from({ length: config.bulkConcurrency }, worker));
  const elapsed = performance.now() - started;
  const cpu = cpuBetween(cpuStart, bench.cpu.snapshot());
  const timed = ops.length - 50;

  const searchableAt = await pollUntil(
    async () => {
      const res = await search.count({ index });
      return (res.body as { count: number }).count >= ops.length ? performance.now() : undefined;
    },
    15_000,
    100,
  );
  await search.indices.delete({ index }, { ignore: [404] });
  const searchableMs = searchableAt === undefined ? null : searchableAt - started;
  return {
    index,
    docs: timed,
    bulkSize: config.bulkSize,
    concurrency: config.bulkConcurrency,
    failedItems,
    seconds: round(elapsed / 1000, 2),
    docsPerSecond: rate(timed - failedItems, elapsed),
    searchableSeconds: searchableMs === null ? null : round(searchableMs / 1000, 2),
    searchableDocsPerSecond: searchableMs === null ? null : rate(timed, searchableMs),
    cpu,
  };
}
