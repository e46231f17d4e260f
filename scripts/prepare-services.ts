// Prepares external services that someone else runs (docker compose, a real cluster):
// migrations, topics, schemas and index templates, from the services' own variables.
// `vigil run` / `vigil stack up` run the same provisioning for the local stack.
import { ensureDevKeys } from '@vigil/auth';
import { provisionPlatform } from '@vigil/dev-stack';
import { parseTopicConfig } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';

const env = process.env;
const logger = createLogger({ service: 'prepare', level: 'info' });
await ensureDevKeys('.vigil/idp');
await provisionPlatform(
  {
    adminDatabaseUrl: env['VIGIL_ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    kafkaBrokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    schemaRegistryUrl: env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    opensearchUrl: env['OPENSEARCH_URL'] ?? 'http://127.0.0.1:9200',
  },
  (line) => logger.info(line),
  // Partitions, replication factor and min.insync.replicas: docs/operations.md "Topics".
  parseTopicConfig(env),
);
logger.info('services prepared');
