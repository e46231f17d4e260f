import { z } from 'zod';
import { stages } from '@vigil/contracts';
import { fields, loadStoreConnections, parseConfig } from '@vigil/config';
import { startStageWorker, workerSettings } from '@vigil/kafka';
import { exitOnSignals } from '@vigil/process';
import { createLogger } from '@vigil/logging';
import { createIndexTimeRegistry, createRedisClient, redisHealthy } from '@vigil/redis';
import { createSearchClient, ensureIndexTemplates } from '@vigil/search';
import { createIndexHandler } from './index-stage.ts';

const config = parseConfig(
  'indexer',
  z.object({
    ...fields.worker(9503),
    /**
     * How long alert indices are kept (query-api deletes older ones; 0 = kept for ever):
     * how long the first event time of an alert id must be remembered.
     */
    ALERT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
  }),
  process.env,
);
const logger = createLogger({ service: 'indexer', level: config.LOG_LEVEL });
// TLS and credentials of every store, CA files read once (docs/store-connections.md).
const stores = loadStoreConnections('indexer', config);

const worker = await startStageWorker(
  workerSettings('indexer', stages.indexer, config, stores, logger),
  async () => {
    const search = createSearchClient(stores.opensearch);
    await ensureIndexTemplates(search);
    const redis = createRedisClient(stores.redis, 'vigil-indexer');
    // Without retention an entry cannot live for ever (Redis memory): a year bounds it.
    const rememberDays = config.ALERT_RETENTION_DAYS > 0 ? config.ALERT_RETENTION_DAYS : 365;
    const indexTimes = createIndexTimeRegistry(redis, { ttlMs: rememberDays * 24 * 60 * 60 * 1000 });
    return {
      handler: createIndexHandler({ search, indexTimes, registryHealthy: () => redisHealthy(redis) }),
      async close() {
        redis.disconnect();
        await search.close();
      },
    };
  },
);
exitOnSignals(logger, worker.shutdown);
