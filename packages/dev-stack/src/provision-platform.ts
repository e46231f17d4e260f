import { allTopics } from '@vigil/contracts';
import { createCodec, createKafkaClient, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { migrate } from '@vigil/postgres';
import { createSearchClient, ensureIndexTemplates } from '@vigil/search';

/** Where the stores a Vigil deployment needs are reached. */
export interface PlatformEndpoints {
  readonly adminDatabaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly opensearchUrl: string;
}

/**
 * What must exist in the stores before a service starts: database roles and migrations,
 * topics, schemas and index templates. Idempotent. The one implementation behind the
 * local stack (`preparePlatform`) and `scripts/prepare-services.ts` (docker compose, a
 * cluster someone else runs).
 */
export async function provisionPlatform(endpoints: PlatformEndpoints, log: (line: string) => void): Promise<void> {
  const applied = await migrate({ adminUrl: endpoints.adminDatabaseUrl, database: 'vigil' });
  if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);
  const kafka = createKafkaClient({ brokers: [...endpoints.kafkaBrokers], clientId: 'vigil-provision', logger: createLogger({ service: 'vigil-provision', level: 'error' }) });
  const created = await ensureTopics(kafka, allTopics);
  if (created.length > 0) log(`topics created: ${created.join(', ')}`);
  await createCodec(endpoints.schemaRegistryUrl).register(allTopics);
  const search = createSearchClient(endpoints.opensearchUrl);
  try {
    await ensureIndexTemplates(search);
  } finally {
    await search.close();
  }
}
