import type { ServiceName } from '../../packages/cli/src/context.ts';
import { startService as start, type ServiceProcess } from '../../packages/cli/src/service-process.ts';
import { cli } from './stack-env.ts';

export type { ServiceProcess };

let instance = 0;

/**
 * Start a service for a test. Pass a free METRICS_PORT (and PORT for APIs) in `env`
 * when a test runs a second instance beside the standard ones.
 */
export async function startService(name: ServiceName, env: Record<string, string> = {}): Promise<ServiceProcess & { kill(signal?: NodeJS.Signals): Promise<void> }> {
  instance++;
  const proc = await start(cli, name, { env, instance: `test-${process.pid}-${instance}` });
  return { ...proc, kill: (signal: NodeJS.Signals = 'SIGTERM') => proc.stop(signal) };
}
