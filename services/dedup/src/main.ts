import { z } from 'zod';
import { stages } from '@vigil/contracts';
import { fields, loadStoreConnections, parseConfig } from '@vigil/config';
import { startStageWorker, workerSettings } from '@vigil/kafka';
import { exitOnSignals } from '@vigil/process';
import { createLogger } from '@vigil/logging';
import { createPool, postgresHealthy } from '@vigil/postgres';
import { createRedisClient, redisHealthy } from '@vigil/redis';
import { createDedupStore } from './store/dedup-store.ts';
import { countDedupWindows } from './store/dedup-window-count.ts';
import { createDedupMetrics, startWindowSampler } from './dedup-metrics.ts';
import { createDedupHandler } from './dedup-stage.ts';
import { createSettingsCache } from './settings-cache.ts';
import { createSettingsLoader } from './settings-loader.ts';

const config = parseConfig(
  'dedup',
  z.object({
    ...fields.worker(9502),
    /** Window when neither the tenant nor the rule sets one. */
    DEDUP_DEFAULT_WINDOW_SECONDS: fields.positiveInt(3600),
    /** How far before a window's anchor an alert may be and still count toward it. */
    DEDUP_LATENESS_SECONDS: z.coerce.number().int().min(0).default(300),
    DEDUP_SETTINGS_TTL_SECONDS: fields.positiveInt(30),
    /**
     * Period of the window gauge's SCAN of the whole keyspace: ~0.8 s of Redis and worker time
     * per 250k keys, so Redis answers the stage more slowly while it runs; a capacity gauge.
     */
    DEDUP_WINDOW_SAMPLE_SECONDS: fields.positiveInt(300),
  }),
  process.env,
);
const logger = createLogger({ service: 'dedup', level: config.LOG_LEVEL });
// TLS and credentials of every store, CA files read once (docs/store-connections.md).
const stores = loadStoreConnections('dedup', config);

const worker = await startStageWorker(workerSettings('dedup', stages.dedup, config, stores, logger), async (ctx) => {
  const redis = createRedisClient(stores.redis, 'vigil-dedup');
  const pool = createPool(stores.postgres, 'vigil-dedup', 2);
  const warn = (detail: Record<string, unknown>, message: string) => ctx.logger.warn(detail, message);
  const settings = createSettingsCache({ load: createSettingsLoader(pool), ttlMs: config.DEDUP_SETTINGS_TTL_SECONDS * 1000, clock: Date.now, warn });
  const metrics = createDedupMetrics(ctx.metrics);
  const sampler = startWindowSampler({ count: () => countDedupWindows(redis), gauge: metrics.windowKeys, intervalMs: config.DEDUP_WINDOW_SAMPLE_SECONDS * 1000, warn });
  const handler = createDedupHandler({
    store: createDedupStore(redis),
    settings,
    defaultWindowMs: config.DEDUP_DEFAULT_WINDOW_SECONDS * 1000,
    latenessMs: config.DEDUP_LATENESS_SECONDS * 1000,
    metrics,
    // Postgres down with settings cached is not a reason to stay paused.
    healthy: async () => (await redisHealthy(redis)) && (settings.warm() || (await postgresHealthy(pool))),
  });
  return {
    handler,
    async close() {
      sampler.stop();
      redis.disconnect();
      await pool.end();
    },
  };
});
exitOnSignals(logger, worker.shutdown);
