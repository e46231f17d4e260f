// Supplementary to `npm run bench` (docs/benchmarks.md): the dedup stage's Redis script,
// awaited one record at a time as dedup-stage.ts does, against the same calls in flight together.
//   npx tsx scripts/bench/experiments/dedup-step.ts [calls]
import { createRedisClient } from '@vigil/redis';
import { createDedupStore } from '@vigil/dedup';
import { purgeDedupState } from '../redis-cleanup.ts';

const n = Number(process.argv[2] ?? 3000);
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redis = createRedisClient(redisUrl, 'bench-experiment');
await new Promise((resolve) => redis.once('ready', resolve));
const store = createDedupStore(redis);
const now = Date.now();
// A throwaway tenant; its keys are removed at the end.
const tenant = `bench-experiment-${now.toString(36)}`;
const input = (i: number) => ({ tenantId: tenant, fingerprint: `fp-${i}`, alertId: `a-${i}`, eventTime: now, windowMs: 60_000, latenessMs: 0, now });
await store.step(input(-1));
let t = performance.now();
for (let i = 0; i < n; i++) await store.step(input(i));
const sequential = performance.now() - t;
t = performance.now();
await Promise.all(Array.from({ length: n }, (_, i) => store.step(input(n + i))));
const together = performance.now() - t;
const line = (label: string, ms: number) => `${label} ${(ms / n).toFixed(3)} ms per call = ${Math.round(n / (ms / 1000))} calls/s`;
console.log(`${line('one at a time (as the stage):', sequential)}; ${line('all in flight:', together)}`);
redis.disconnect();
await purgeDedupState(redisUrl, tenant);
