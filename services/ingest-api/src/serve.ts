import { loadStoreConnections } from '@vigil/config';
import type { Logger } from '@vigil/logging';
import { createMetricsRegistry, shareWithGroupPrimary, startOpsServer } from '@vigil/metrics';
import { exitOnSignals, isGroupMember, serveAsGroupMember } from '@vigil/process';
import { buildIngestApp } from './app.ts';
import type { IngestConfig } from './config.ts';
import { instrumentPublisher } from './publisher-metrics.ts';
import { connectIngestClients } from './wiring.ts';

/**
 * The gateway itself: on its own, or as one member of a process group (its metrics and
 * readiness then go through the group's primary). Loaded only where requests are
 * served, so a group's primary stays small.
 */
export async function serveGateway(config: IngestConfig, logger: Logger): Promise<void> {
  // TLS and credentials of every store, CA files read once (docs/store-connections.md).
  const clients = await connectIngestClients(config, loadStoreConnections('ingest-api', config), logger);
  const metrics = createMetricsRegistry('ingest-api');
  const http = await buildIngestApp({ config, logger, ...clients, publisher: instrumentPublisher(clients.publisher, metrics) });
  const member = isGroupMember();
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
