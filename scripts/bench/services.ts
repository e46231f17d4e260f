import { join } from 'node:path';
import { isTcpOpen, type ServiceName, type ServiceProcess, startService } from '@vigil/dev-stack';
import { benchGroups, type Bench } from './context.ts';
import { processTree } from './proc.ts';

/** The ports a service of the bench listens on (its own, beside any standard instance). */
export function portsOf(bench: Bench, name: ServiceName): number[] {
  const { ports } = bench.config;
  const own = name === 'ingest-api' ? [ports.ingest] : name === 'query-api' ? [ports.query] : [];
  return [...own, ports.metrics[name]];
}

/** Refuse to start when a port is taken: measuring someone else's process would be worse than failing. */
export async function assertPortsFree(bench: Bench, names: readonly ServiceName[]): Promise<void> {
  const taken: string[] = [];
  for (const name of names) for (const port of portsOf(bench, name)) if (await isTcpOpen('127.0.0.1', port, 500)) taken.push(`${name}:${port}`);
  if (taken.length > 0) throw new Error(`ports already in use: ${taken.join(', ')}; set BENCH_INGEST_PORT / BENCH_QUERY_PORT / BENCH_METRICS_PORT_BASE`);
}

/**
 * Start one service as `vigil run` does (child process, readiness wait), on the bench's
 * ports; it is stopped at cleanup whatever happens.
 */
export async function startBenchService(bench: Bench, name: ServiceName): Promise<ServiceProcess> {
  const starting = startService(bench.cli, name, { env: benchServiceEnv(bench, name), instance: 'bench', readyTimeoutMs: 90_000 });
  startsInFlight.add(starting);
  try {
    const proc = await starting;
    bench.services.set(name, proc);
    return proc;
  } finally {
    startsInFlight.delete(starting);
  }
}

/** A bench service's environment: its ports, raised gateway limits, a worker's own consumer group. */
export function benchServiceEnv(bench: Bench, name: ServiceName): Record<string, string> {
  const { ports, logLevel } = bench.config;
  const env: Record<string, string> = { LOG_LEVEL: logLevel, METRICS_PORT: String(ports.metrics[name]) };
  if (bench.config.profile) {
    env['NODE_OPTIONS'] = `--import ${join(bench.cli.repoRoot, 'scripts', 'bench', 'experiments', 'cpu-profile-preload.mjs')}`;
    env['BENCH_PROFILE_DIR'] = join(bench.cli.stateDir, 'bench', 'profiles');
  }
  if (name === 'ingest-api') {
    Object.assign(env, {
      PORT: String(ports.ingest),
      GATEWAY_PROCESSES: String(bench.config.gatewayProcesses),
      // Per-minute request limits would cap the measurement, not the gateway.
      TENANT_RATE_LIMIT_PER_MINUTE: '100000000',
      CLIENT_RATE_LIMIT_PER_MINUTE: '100000000',
      // The bench's one tenant stands for every sensor: give it the whole in-flight budget.
      MAX_TENANT_INFLIGHT_BODY_BYTES: '1048576',
    });
  }
  // The search phase's requests all come from the bench's one tenant: measure, do not throttle.
  if (name === 'query-api') Object.assign(env, { PORT: String(ports.query), QUERY_TENANT_RATE_LIMIT_PER_MINUTE: '100000000' });
  const own = benchGroups(bench.runId).find((g) => g.stage === name);
  if (own) env['CONSUMER_GROUP'] = own.group;
  return env;
}

/** Starts not finished yet: a Ctrl-C during one must still stop that process once it is up. */
const startsInFlight = new Set<Promise<ServiceProcess>>();

/** The gateway first (nothing new is accepted), then the workers together; SIGKILL after the grace. */
export async function stopBenchServices(bench: Bench): Promise<void> {
  if (startsInFlight.size > 0) {
    await Promise.race([Promise.allSettled([...startsInFlight]), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  }
  const ingest = bench.services.get('ingest-api');
  if (ingest) await ingest.stop('SIGTERM', 10_000);
  await Promise.all([...bench.services.values()].map((p) => p.stop('SIGTERM', 15_000)));
  bench.services.clear();
}

/** The services behind the gateway; the three consumers are stopped while the Kafka-side ceilings are measured, then started again. */
export const workerNames: readonly ServiceName[] = ['indexer', 'correlate', 'dedup', 'query-api'];

export async function stopWorkers(bench: Bench): Promise<void> {
  await Promise.all(
    (['indexer', 'correlate', 'dedup'] as const).map(async (name) => {
      const proc = bench.services.get(name);
      if (!proc) return;
      await proc.stop('SIGTERM', 15_000);
      bench.services.delete(name);
    }),
  );
}

/** With BENCH_PROFILE set: the first call for its phase starts every service's CPU profiler, the second writes the profiles. */
export function toggleProfiles(bench: Bench, phase: '4' | '4b'): void {
  if (bench.config.profile !== phase) return;
  for (const [name, proc] of bench.services) {
    // Every process of the service: a gateway process group's members do its work.
    for (const pid of processTree(proc.pid)) {
      process.kill(pid, 'SIGUSR2');
      bench.log(`   profiling ${name}: ${join(bench.cli.stateDir, 'bench', 'profiles', `${pid}.cpuprofile`)}`);
    }
  }
}
