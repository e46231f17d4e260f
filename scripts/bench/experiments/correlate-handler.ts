// Supplementary to `npm run bench`: the correlate stage's handler alone on the real
// PostgreSQL (no Kafka), the bench's 100-rule set for a fresh tenant, bench alerts in
// slices of 500: the stage's CPU per alert and the database's, without the rest of the
// pipeline on the same cores. For before/after of changes to the stage or its SQL.
//   npx tsx scripts/bench/experiments/correlate-handler.ts [alerts=5000] [slice=500]
// A small slice shows the fixed cost of a slice, as at a moderate rate (the latency phases).
import { randomBytes } from 'node:crypto';
import { createCorrelateHandler, createCorrelateMetrics } from '@vigil/correlate';
import { createDevContext } from '@vigil/dev-stack';
import { defaultRuleSettings } from '@vigil/detection';
import { Registry } from '@vigil/metrics';
import { createPool } from '@vigil/postgres';
import { createRuleSetCache } from '@vigil/rules';
import { gatewayAlert, vigilBody } from '../alerts.ts';
import { importBenchRules } from '../bench-rules.ts';
import { findInfraPids, cpuSeconds } from '../proc.ts';

const n = Number(process.argv[2] ?? 5000);
const sliceSize = Number(process.argv[3] ?? 500);
const cli = createDevContext(process.env);
const databaseUrl = cli.serviceEnv['DATABASE_URL']!;
const tenant = `bench-exp-${randomBytes(3).toString('hex')}`;
await importBenchRules(databaseUrl, [tenant]);
const now = Date.now();
const alerts = Array.from({ length: n }, (_, k) => gatewayAlert(vigilBody(k, { stream: tenant, now }), tenant, now));
const pool = createPool(databaseUrl, 'vigil-bench-correlate-handler');
const handler = createCorrelateHandler({ pool, ruleSets: createRuleSetCache(pool, defaultRuleSettings), metrics: createCorrelateMetrics(new Registry()), engine: { maxEventsPerGroup: 10_000 } });
// Postgres forks a backend per connection: look the processes up again at each reading.
const postgresCpu = () => (findInfraPids().get('postgres') ?? []).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
try {
  const pg0 = postgresCpu();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < alerts.length; i += sliceSize) {
    const records = alerts.slice(i, i + sliceSize).map((value, j) => ({ topic: 'alerts.v1', partition: 0, offset: String(i + j), key: tenant, value, headers: {}, timestamp: now }));
    await handler.handle(records, Date.now());
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu0);
  const pg = postgresCpu() - pg0;
  console.log(`${n} alerts in slices of ${sliceSize} in ${seconds.toFixed(1)} s (${Math.round(n / seconds)}/s): handler ${((used.user + used.system) / 1000 / n).toFixed(3)} ms CPU per alert, postgres ${((pg * 1000) / n).toFixed(3)} ms per alert`);
} finally {
  // The services' outbox relay would otherwise publish this tenant's incidents and audit
  // events, and whatever runs next (an e2e test) waits behind them.
  await pool.query('UPDATE outbox SET published_at = now() WHERE tenant_id = $1 AND published_at IS NULL', [tenant]);
  await pool.end();
}
