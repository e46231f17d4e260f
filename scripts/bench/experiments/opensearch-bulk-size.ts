// Supplementary to `npm run bench`: OpenSearch's CPU per document at a fixed, moderate
// rate written in bulks of different sizes (the indexer's own operations, a throwaway
// index the alert template shapes): how much of its cost at half load is per request.
//   npx tsx scripts/bench/experiments/opensearch-bulk-size.ts [docs/s=300] [seconds=20] [sizes=5,20,100]
// EXP_GZIP=0: without the client's request compression; EXP_ASYNC=1: the throwaway index
// with an asynchronous translog (not something Vigil may use: acknowledged writes must
// survive a crash), to see what the fsync per request costs.
import { randomBytes } from 'node:crypto';
import { createDevContext } from '@vigil/dev-stack';
import { Client } from '@opensearch-project/opensearch';
import { bulkWrite, createSearchClient, searchClientOptions } from '@vigil/search';
import { gatewayAlert, indexerOp, vigilBody } from '../alerts.ts';
import { cpuSeconds, findInfraPids } from '../proc.ts';
import { sleep } from '../stats.ts';

const perSecond = Number(process.argv[2] ?? 300);
const seconds = Number(process.argv[3] ?? 20);
const sizes = (process.argv[4] ?? '5,20,100').split(',').map(Number);
const cli = createDevContext(process.env);
const search = process.env['EXP_GZIP'] === '0' ? new Client({ ...searchClientOptions(cli.serviceEnv['OPENSEARCH_URL']!), compression: undefined }) : createSearchClient(cli.serviceEnv['OPENSEARCH_URL']!);
const opensearchCpu = () => (findInfraPids().get('opensearch') ?? []).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
const stream = `os-exp-${randomBytes(3).toString('hex')}`;
const index = `vigil-alerts-exp-${stream}`;
await search.indices.create({ index, body: process.env['EXP_ASYNC'] === '1' ? { settings: { 'index.translog.durability': 'async' } } : {} });
try {
  let k = 0;
  for (const size of sizes) {
    const cpu0 = opensearchCpu();
    const started = performance.now();
    const interval = (1000 * size) / perSecond;
    let sent = 0;
    for (let i = 0; performance.now() - started < seconds * 1000; i += 1) {
      const now = Date.now();
      const ops = Array.from({ length: size }, () => indexerOp(gatewayAlert(vigilBody(k++, { stream, now }), stream, now), index, now));
      await bulkWrite(search, ops);
      sent += size;
      const wait = started + (i + 1) * interval - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const elapsed = (performance.now() - started) / 1000;
    const cpu = opensearchCpu() - cpu0;
    console.log(`bulks of ${size}: ${Math.round(sent / elapsed)} docs/s, ${(sent / size / elapsed).toFixed(1)} bulks/s, opensearch ${(cpu / elapsed).toFixed(3)} cores = ${((cpu * 1000) / sent).toFixed(3)} ms per doc`);
  }
} finally {
  await search.indices.delete({ index }).catch(() => undefined);
}
