import type { HttpStoreConnection, KafkaConnection } from '@vigil/config';
import { allTopics } from '@vigil/contracts';
import { createCodec, createKafkaClient, defaultTopicConfig, provisionTopics, topicSettingsOf, type TopicConfig } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { maintainTables, migrate } from '@vigil/postgres';
import { createSearchClient, defaultIndexLayout, ensureIndexTemplates, type IndexLayout } from '@vigil/search';

/** Where the stores a Vigil deployment needs are reached. */
export interface PlatformEndpoints {
  readonly adminDatabaseUrl: string;
  /** With TLS and credentials where the deployment has them (`loadStoreConnections`); plain URLs for the local stack. */
  readonly kafka: KafkaConnection;
  readonly schemaRegistry: string | HttpStoreConnection;
  readonly opensearch: string | HttpStoreConnection;
}

/**
 * What must exist in the stores before a service starts: database roles and migrations,
 * topics, schemas and index templates (with the deployment's shards and replicas). Idempotent. The one implementation behind the
 * local stack (`preparePlatform`) and `scripts/prepare-services.ts` (docker compose, a
 * cluster someone else runs).
 */
export async function provisionPlatform(endpoints: PlatformEndpoints, log: (line: string) => void, topicConfig: TopicConfig = defaultTopicConfig, indexLayout: IndexLayout = defaultIndexLayout): Promise<void> {
  const applied = await migrate({ adminUrl: endpoints.adminDatabaseUrl, database: 'vigil' });
  if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);
  await maintainDatabase(endpoints.adminDatabaseUrl, log);
  const kafka = createKafkaClient({ ...endpoints.kafka, clientId: 'vigil-provision', logger: createLogger({ service: 'vigil-provision', level: 'error' }) });
  const topics = await provisionTopics(kafka, topicSettingsOf(allTopics, topicConfig));
  if (topics.created.length > 0) log(`topics created: ${topics.created.join(', ')}`);
  for (const g of topics.grown) log(`topic ${g.topic}: partitions ${g.from} → ${g.to} (new records of a key may go to a new partition; consumers rebalance)`);
  for (const line of topics.drift) log(`topic ${line}`);
  await createCodec(endpoints.schemaRegistry).register(allTopics);
  const search = createSearchClient(endpoints.opensearch);
  try {
    await ensureIndexTemplates(search, indexLayout);
  } finally {
    await search.close();
  }
}

/** `maintainTables`, said in one line when it did something (the server's autovacuum is off). */
export async function maintainDatabase(adminDatabaseUrl: string, log: (line: string) => void): Promise<void> {
  const report = await maintainTables({ adminUrl: adminDatabaseUrl, database: 'vigil' });
  if (report.vacuumed.length + report.analyzed.length === 0) return;
  log(`postgres autovacuum is off: vacuumed ${report.vacuumed.join(', ') || 'none'}; analysed ${report.analyzed.join(', ') || 'none'}`);
}
