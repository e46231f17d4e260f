import { type ServiceName, type ServiceProcess, startService as start } from '@vigil/dev-stack';
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
