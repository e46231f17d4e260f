import type { DevContext } from './dev-context.ts';
import { createDevIdp } from './dev-idp-component.ts';
import { provisionPlatform } from './provision-platform.ts';
import { createStack, formatStatus } from './stack/index.ts';

/**
 * Everything that must exist before a service starts on the local stack: the stack
 * itself, the dev identity provider, then the stores' contents (provision-platform.ts).
 * Idempotent; `vigil run`, `vigil stack up` and the test setup call it.
 */
export async function preparePlatform(ctx: DevContext, log: (line: string) => void): Promise<void> {
  const stack = createStack({ repoRoot: ctx.repoRoot, cacheDir: ctx.cacheDir, ...(ctx.javaHome ? { javaHome: ctx.javaHome } : {}), log });
  const statuses = await stack.up();
  log(formatStatus(statuses));
  await createDevIdp(ctx).up();
  const env = ctx.serviceEnv;
  // The local stack is plaintext: no TLS, no credentials (docs/store-connections.md).
  const kafka = { brokers: [env['KAFKA_BROKERS']!], tls: null, sasl: null };
  await provisionPlatform({ adminDatabaseUrl: ctx.adminDatabaseUrl, kafka, schemaRegistry: env['SCHEMA_REGISTRY_URL']!, opensearch: env['OPENSEARCH_URL']! }, log, ctx.topicConfig, ctx.indexLayout);
  log('platform ready: stack, identity provider, migrations, topics, schemas, index templates');
}
