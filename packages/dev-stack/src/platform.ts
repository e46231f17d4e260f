import { allTopics } from '@vigil/contracts';
import { createCodec, createKafkaClient, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { migrate } from '@vigil/postgres';
import { createSearchClient, ensureIndexTemplates } from '@vigil/search';
import type { CliContext } from './context.ts';
import { createDevIdp } from './dev-idp-component.ts';
import { createStack, formatStatus } from './stack/index.ts';

/**
 * Everything that must exist before a service starts: the local stack, the dev
 * identity provider, database roles and migrations, topics, schemas and index
 * templates. Idempotent; `vigil run`, `vigil stack up` and the test setup call it.
 */
export async function preparePlatform(ctx: CliContext, log: (line: string) => void): Promise<void> {
  const stack = createStack({ repoRoot: ctx.repoRoot, cacheDir: ctx.cacheDir, ...(ctx.javaHome ? { javaHome: ctx.javaHome } : {}), log });
  const statuses = await stack.up();
  log(formatStatus(statuses));
  await createDevIdp(ctx).up();
  const applied = await migrate({ adminUrl: ctx.adminDatabaseUrl, database: 'vigil' });
  if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);
  const env = ctx.serviceEnv;
  const kafka = createKafkaClient({ brokers: [env['KAFKA_BROKERS']!], clientId: 'vigil-cli', logger: createLogger({ service: 'vigil-cli', level: 'error' }) });
  const created = await ensureTopics(kafka, allTopics);
  if (created.length > 0) log(`topics created: ${created.join(', ')}`);
  await createCodec(env['SCHEMA_REGISTRY_URL']!).register(allTopics);
  const search = createSearchClient(env['OPENSEARCH_URL']!);
  try {
    await ensureIndexTemplates(search);
  } finally {
    await search.close();
  }
  log('platform ready: stack, identity provider, migrations, topics, schemas, index templates');
}
