import { createCliContext } from '../../packages/cli/src/context.ts';
import { preparePlatform } from '../../packages/cli/src/platform.ts';

/**
 * Integration and e2e tests run against the real stack. Bring it up (fast when it
 * already runs), then migrations, topics, schemas and index templates.
 */
export default async function setup(): Promise<void> {
  const ctx = createCliContext(process.env);
  await preparePlatform(ctx, (line) => process.stderr.write(`[stack] ${line}\n`));
}
