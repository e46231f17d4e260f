import { loadStoreConnections, parseConfig } from '@vigil/config';
import { exitOnSignals, isGroupMember, serveAsGroupMember, startProcessGroup } from '@vigil/process';
import { createLogger } from '@vigil/logging';
import { createMetricsRegistry, groupMetrics, shareWithGroupPrimary, startOpsServer } from '@vigil/metrics';
import { buildIngestApp } from './app.ts';
import { ingestConfigSchema } from './config.ts';
import { instrumentPublisher } from './publisher-metrics.ts';
import { connectIngestClients } from './wiring.ts';

const config = parseConfig('ingest-api', ingestConfigSchema, process.env);
const logger = createLogger({ service: 'ingest-api', level: config.LOG_LEVEL });

if (config.GATEWAY_PROCESSES > 1 && !isGroupMember()) {
  // The primary of a process group (docs/operations.md): it holds the port and the ops
  // endpoints, the members below it serve the requests.
  const group = startProcessGroup({ size: config.GATEWAY_PROCESSES, logger, onGiveUp: () => void group.stop().then(() => process.exit(1)) });
  const ops = await startOpsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, registry: groupMetrics('ingest-api'), ready: () => group.ready() });
  logger.info({ port: config.PORT, processes: config.GATEWAY_PROCESSES, ops: ops.url }, 'ingest-api process group started');
  exitOnSignals(logger, async () => {
    await group.stop();
    await ops.close();
  });
} else {
  // TLS and credentials of every store, CA files read once (docs/store-connections.md).
  const clients = await connectIngestClients(config, loadStoreConnections('ingest-api', config), logger);
  const metrics = createMetricsRegistry('ingest-api');
  const http = await buildIngestApp({ config, logger, ...clients, publisher: instrumentPublisher(clients.publisher, metrics) });
  const member = isGroupMember();
  // A member's metrics and readiness are served by its primary.
  const ops = member ? null : await startOpsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, registry: metrics, ready: clients.ready });
  if (member) shareWithGroupPrimary(metrics);
  await http.app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ port: config.PORT, ops: ops?.url ?? 'via the group primary' }, 'ingest-api listening');

  const stop = exitOnSignals(logger, async () => {
    http.markStopping();
    await http.app.close();
    await clients.close();
    await ops?.close();
  });
  if (member) serveAsGroupMember(clients.ready, stop);
}
