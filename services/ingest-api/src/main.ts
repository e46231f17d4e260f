import { parseConfig } from '@vigil/config';
import { createLogger } from '@vigil/logging';
import { groupMetrics, startOpsServer } from '@vigil/metrics';
import { exitOnSignals, isGroupMember, startProcessGroup } from '@vigil/process';
import { ingestConfigSchema } from './config.ts';

const config = parseConfig('ingest-api', ingestConfigSchema, process.env);
const logger = createLogger({ service: 'ingest-api', level: config.LOG_LEVEL });

if (config.GATEWAY_PROCESSES > 1 && !isGroupMember()) {
  // The primary of a process group (docs/operations.md): it holds the port and the ops
  // endpoints, the members below it serve the requests. It never loads the app.
  const group = startProcessGroup({ size: config.GATEWAY_PROCESSES, logger, onGiveUp: () => void group.stop().then(() => process.exit(1)) });
  const ops = await startOpsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, registry: groupMetrics('ingest-api'), ready: () => group.ready() });
  logger.info({ port: config.PORT, processes: config.GATEWAY_PROCESSES, ops: ops.url }, 'ingest-api process group started');
  exitOnSignals(logger, async () => {
    await group.stop();
    await ops.close();
  });
} else {
  const { serveGateway } = await import('./serve.ts');
  await serveGateway(config, logger);
}
