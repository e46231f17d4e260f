// Prepares external services that someone else runs (docker compose, a real cluster):
// migrations, topics, schemas and index templates, from the services' own variables.
// `vigil run` / `vigil stack up` do the same for the local stack.
import { allTopics } from '@vigil/contracts';
import { createCodec, createKafkaClient, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { migrate } from '@vigil/postgres';
import { createSearchClient, ensureIndexTemplates } from '@vigil/search';
import { ensureDevKeys } from '@vigil/auth';

const env = process.env;
const logger = createLogger({ service: 'prepare', level: 'info' });
await ensureDevKeys('.vigil/idp');
await migrate({ adminUrl: env['VIGIL_ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres', database: 'vigil' });
const kafka = createKafkaClient({ brokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'vigil-prepare', logger });
await ensureTopics(kafka, allTopics);
await createCodec(env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7').register(allTopics);
const search = createSearchClient(env['OPENSEARCH_URL'] ?? 'http://127.0.0.1:9200');
await ensureIndexTemplates(search);
await search.close();
logger.info('services prepared');
