import type { DevContext } from './dev-context.ts';
import { createDevIdp } from './dev-idp-component.ts';
import { preparePlatform } from './platform.ts';
import { createStack, formatStatus } from './stack/index.ts';

export async function stackCommand(ctx: DevContext, action: string | undefined, log: (line: string) => void): Promise<number> {
  const stack = createStack({ repoRoot: ctx.repoRoot, cacheDir: ctx.cacheDir, ...(ctx.javaHome ? { javaHome: ctx.javaHome } : {}), log });
  switch (action) {
    case 'up':
      await preparePlatform(ctx, log);
      return 0;
    case 'down':
      await createDevIdp(ctx).down();
      await stack.down();
      log('stack stopped (PostgreSQL and Redis are the machine\'s and keep running)');
      return 0;
    case 'status': {
      const statuses = await stack.status();
      log(formatStatus(statuses));
      return statuses.every((s) => s.state === 'up') ? 0 : 1;
    }
    default:
      log('usage: vigil stack up|down|status');
      return 2;
  }
}
