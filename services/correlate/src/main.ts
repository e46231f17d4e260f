import { z } from 'zod';
import { stages } from '@vigil/contracts';
import { fields, loadStoreConnections, parseConfig } from '@vigil/config';
import { defaultRuleSettings } from '@vigil/detection';
import { startStageWorker, workerSettings } from '@vigil/kafka';
import { exitOnSignals } from '@vigil/process';
import { createLogger } from '@vigil/logging';
import { createPool } from '@vigil/postgres';
import { createRuleSetCache } from '@vigil/rules';
import { createCorrelateMetrics } from './correlate-metrics.ts';
import { CONSUMER, createCorrelateHandler } from './correlate-stage.ts';
import { createInboxRetention } from './inbox-retention.ts';
import { createOutboxRelay } from './outbox-relay.ts';

const config = parseConfig(
  'correlate',
  z.object({
    ...fields.worker(9504),
    /** Default allowed lateness of a rule without its own setting. */
    CORRELATION_ALLOWED_LATENESS_MS: fields.positiveInt(defaultRuleSettings.allowedLatenessMs),
    /** Default period after closing in which new evidence reopens an incident. */
    CORRELATION_REOPEN_MS: fields.positiveInt(defaultRuleSettings.reopenMs),
    /** Events kept per group and rule version; the oldest are pruned past it (metric). */
    CORRELATION_MAX_EVENTS_PER_GROUP: fields.positiveInt(10_000),
    /** How long inbox rows and parked duplicates are kept: must exceed the input topics' retention.ms (7 days). */
    CORRELATE_INBOX_RETENTION_HOURS: fields.positiveInt(8 * 24),
  }),
  process.env,
);
const logger = createLogger({ service: 'correlate', level: config.LOG_LEVEL });
// TLS and credentials of every store, CA files read once (docs/store-connections.md).
const stores = loadStoreConnections('correlate', config);

const worker = await startStageWorker(workerSettings('correlate', stages.correlate, config, stores, logger), async ({ producer, metrics }) => {
  const pool = createPool(stores.postgres, 'vigil-correlate');
  const relay = createOutboxRelay(pool, producer, logger, { metrics });
  relay.start();
  const retention = createInboxRetention(pool, CONSUMER, config.CORRELATE_INBOX_RETENTION_HOURS * 3_600_000, 10 * 60_000, logger);
  retention.start();
  const defaults = { ...defaultRuleSettings, allowedLatenessMs: config.CORRELATION_ALLOWED_LATENESS_MS, reopenMs: config.CORRELATION_REOPEN_MS };
  const ruleSets = createRuleSetCache(pool, defaults, (tenant, keys) => logger.error({ tenant, rules: keys }, 'stored rules no longer compile; they are not running'));
  return {
    handler: createCorrelateHandler({ pool, ruleSets, metrics: createCorrelateMetrics(metrics), engine: { maxEventsPerGroup: config.CORRELATION_MAX_EVENTS_PER_GROUP }, onCommitted: relay.wake }),
    detail: () => ({ outbox: relay.stats() }),
    async close() {
      retention.stop();
      await relay.stop();
      await pool.end();
    },
  };
});
exitOnSignals(logger, worker.shutdown);
