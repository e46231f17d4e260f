// Prepares external services that someone else runs (docker compose, a real cluster):
// migrations, topics, schemas and index templates, from the services' own variables,
// TLS and credentials included (docs/store-connections.md).
// `vigil run` / `vigil stack up` run the same provisioning for the local stack.
import { z } from 'zod';
import { ensureDevKeys } from '@vigil/auth';
import { fields, loadStoreConnections, parseConfig } from '@vigil/config';
import { provisionPlatform } from '@vigil/dev-stack';
import { parseTopicConfig } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { parseIndexLayout } from '@vigil/search';

const config = parseConfig(
  'prepare',
  z.object({ ...fields.common, VIGIL_ADMIN_DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/postgres') }),
  process.env,
);
const stores = loadStoreConnections('prepare', config);
const logger = createLogger({ service: 'prepare', level: 'info' });
await ensureDevKeys('.vigil/idp');
await provisionPlatform(
  { adminDatabaseUrl: config.VIGIL_ADMIN_DATABASE_URL, kafka: stores.kafka, schemaRegistry: stores.schemaRegistry, opensearch: stores.opensearch },
  (line) => logger.info(line),
  // Partitions, replication factor and min.insync.replicas: docs/operations.md "Topics".
  parseTopicConfig(process.env),
  // Shards and replicas of the alert and incident indices: docs/operations.md.
  parseIndexLayout(process.env),
);
logger.info('services prepared');
