import { z } from 'zod';
import { stages } from '@vigil/contracts';
import { fields, parseConfig } from '@vigil/config';
import { exitOnSignals, startStageWorker, workerSettings } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { createPool } from '@vigil/postgres';
import { createCorrelateHandler } from './correlate-stage.ts';
import { createOutboxRelay } from './outbox-relay.ts';

const config = parseConfig('correlate', z.object(fields.worker(9504)), process.env);
const logger = createLogger({ service: 'correlate', level: config.LOG_LEVEL });

const worker = await startStageWorker(workerSettings('correlate', stages.correlate, config, logger), async ({ producer }) => {
  const pool = createPool(config.DATABASE_URL, 'vigil-correlate');
  const relay = createOutboxRelay(pool, producer, logger);
  relay.start();
  return {
    handler: createCorrelateHandler(pool),
    async close() {
      await relay.stop();
      await pool.end();
    },
  };
});
exitOnSignals(logger, worker.shutdown);
