import { createDevContext, preparePlatform } from '@vigil/dev-stack';

/**
 * Integration and e2e tests run against the real stack. Bring it up (fast when it
 * already runs), then migrations, topics, schemas and index templates.
 */
export default async function setup(): Promise<void> {
  const ctx = createDevContext(process.env);
  await preparePlatform(ctx, (line) => process.stderr.write(`[stack] ${line}\n`));
}
