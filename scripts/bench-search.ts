/**
 * The search-latency bench phase on its own: `npx tsx scripts/bench-search.ts`.
 * BENCH_SEARCH_N (default 50,000: ~1.5 min to load 4×N = 200,000 on a 2-core box; the issue's
 * target is 500,000 among 2,000,000) and BENCH_SEARCH_SAMPLES (default 50 per request).
 * Needs the stack (`npx vigil stack up`); starts its own query API on port 18101.
 */
import { randomBytes } from 'node:crypto';
import { createSearchClient } from '@vigil/search';
import { createDevContext, startService, mintDevToken } from '@vigil/dev-stack';
import { searchLatency } from './bench/phases/search-latency.ts';
import { fmtMs, fmtRatio } from './bench/stats.ts';

const n = Number(process.env['BENCH_SEARCH_N'] ?? 50_000);
const samples = Number(process.env['BENCH_SEARCH_SAMPLES'] ?? 50);
if (!Number.isInteger(n) || n < 1 || !Number.isInteger(samples) || samples < 1) throw new Error('BENCH_SEARCH_N and BENCH_SEARCH_SAMPLES must be positive integers');
const cli = createDevContext(process.env);
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tenant = `bench-${runId}-search`;
const search = createSearchClient(cli.serviceEnv['OPENSEARCH_URL']!);
const cleanups: Array<() => Promise<void>> = [];
const api = await startService(cli, 'query-api', { env: { PORT: '18101', METRICS_PORT: '19601', LOG_LEVEL: 'warn' }, instance: `bench-search-${runId}` });
try {
  const token = await mintDevToken(cli, { tenant, role: 'analyst', ttl: '3600' });
  const result = await searchLatency({ search, queryUrl: 'http://127.0.0.1:18101', token, tenant, runId, onCleanup: (s) => void cleanups.push(s), log: (l) => console.log(l) }, { n, samples });
  console.log(`tenant ${result.tenantAlerts} alerts among ${result.totalAlerts}, loaded in ${result.loadSeconds}s, ${result.samples} samples each`);
  for (const [name, r] of Object.entries(result.requests)) {
    console.log(`${name.padEnd(52)} api p50 ${fmtMs(r.api.p50)} p99 ${fmtMs(r.api.p99)} | direct p50 ${fmtMs(r.direct.p50)} p99 ${fmtMs(r.direct.p99)} | ratio ${fmtRatio(r.ratioP50)} / ${fmtRatio(r.ratioP99)}`);
  }
  console.log(JSON.stringify(result));
} finally {
  for (const step of cleanups.reverse()) await step();
  await api.stop();
  await search.close();
}
