import { loadStoreConnections, parseConfig } from '@vigil/config';
import { exitOnSignals } from '@vigil/process';
import { createLogger } from '@vigil/logging';
import { createMetricsRegistry, startOpsServer } from '@vigil/metrics';
import { buildIngestApp } from './app.ts';
import { ingestConfigSchema } from './config.ts';
import { instrumentPublisher } from './publisher-metrics.ts';
import { connectIngestClients } from './wiring.ts';

const config = parseConfig('ingest-api', ingestConfigSchema, process.env);
const logger = createLogger({ service: 'ingest-api', level: config.LOG_LEVEL });

// TLS and credentials of every store, CA files read once (docs/store-connections.md).
const clients = await connectIngestClients(config, loadStoreConnections('ingest-api', config), logger);
const metrics = createMetricsRegistry('ingest-api');
const http = await buildIngestApp({ config, logger, ...clients, publisher: instrumentPublisher(clients.publisher, metrics) });
const ops = await startOpsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, registry: metrics, ready: clients.ready });
await http.app.listen({ host: config.HOST, port: config.PORT });
logger.info({ port: config.PORT, ops: ops.url }, 'ingest-api listening');

exitOnSignals(logger, async () => {
  http.markStopping();
  await http.app.close();
  await clients.close();
  await ops.close();
});
