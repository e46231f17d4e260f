import { z } from 'zod';
import { stages } from '@vigil/contracts';
import { fields, parseConfig } from '@vigil/config';
import { exitOnSignals, startStageWorker, workerSettings } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { createSearchClient, ensureIndexTemplates } from '@vigil/search';
import { createIndexHandler } from './index-stage.ts';

const config = parseConfig('indexer', z.object(fields.worker(9503)), process.env);
const logger = createLogger({ service: 'indexer', level: config.LOG_LEVEL });

const worker = await startStageWorker(
  workerSettings('indexer', stages.indexer, config, logger),
  async () => {
    const search = createSearchClient(config.OPENSEARCH_URL);
    await ensureIndexTemplates(search);
    return { handler: createIndexHandler(search), close: () => search.close() };
  },
);
exitOnSignals(logger, worker.shutdown);
