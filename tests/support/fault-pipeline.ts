import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { INGEST_PORT, privatePipelinePlan, QUERY_PORT } from './pipeline.ts';
import { startService, type ServiceProcess } from './services.ts';
import { stackEnv } from './stack-env.ts';

export type Worker = 'dedup' | 'correlate' | 'indexer';
type Name = Worker | 'ingest-api' | 'query-api';

/**
 * The whole pipeline as real processes on the test ports, with each worker's store behind
 * a TCP proxy of its own (dedup → Redis, correlate → Postgres, indexer → OpenSearch) and
 * every service's schema registry behind one more: a fault test takes a store away from
 * the pipeline under test only, never from the shared stack other suites and sessions
 * use. Workers can be killed, stopped, restarted and doubled (a second member of the same
 * consumer group) with their original environment.
 */
export interface FaultPipeline {
  readonly ingestUrl: string;
  readonly queryUrl: string;
  readonly proxies: Readonly<Record<'redis' | 'postgres' | 'opensearch' | 'registry', TcpProxy>>;
  /** The worker's private consumer group (for reading its committed offsets). */
  groupOf(name: Worker): string;
  /** The log file of every process this pipeline started, restarts and extra members included. */
  logFiles(): string[];
  /** Send `signal` to the worker's current process and wait until it has exited. */
  stopWorker(name: Worker, signal: NodeJS.Signals): Promise<void>;
  startWorker(name: Worker): Promise<void>;
  /** The worker's /readyz: false while its store is away (the stage's health check fails). */
  ready(name: Worker): Promise<boolean>;
  /** The ops URL (/metrics, /readyz) of the worker's current process. */
  opsUrl(name: Worker): string;
  /** Extra members of a worker's consumer group (a rebalance each), on free metrics ports. */
  addMember(name: Worker, metricsPort: number): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

function viaProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString().replace(/\/$/, '');
}

export interface FaultPipelineOptions {
  /** Dedup's Redis (behind its proxy) when not the shared one: a private redis-server a test may flush. */
  readonly dedupRedisUrl?: string;
}

/** `env` goes to every service (LOG_LEVEL, for instance; a service ignores variables it does not read). */
export async function startFaultPipeline(env: Readonly<Record<string, string>> = {}, options: FaultPipelineOptions = {}): Promise<FaultPipeline> {
  const target = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
  const dedupRedis = options.dedupRedisUrl ?? stackEnv['REDIS_URL']!;
  const proxies = {
    redis: await startTcpProxy(target(dedupRedis)),
    postgres: await startTcpProxy(target(stackEnv['DATABASE_URL']!)),
    opensearch: await startTcpProxy(target(stackEnv['OPENSEARCH_URL']!)),
    registry: await startTcpProxy(target(stackEnv['SCHEMA_REGISTRY_URL']!)),
  };
  const overrides: Record<Worker, Record<string, string>> = {
    dedup: { REDIS_URL: viaProxy(dedupRedis, proxies.redis) },
    correlate: { DATABASE_URL: viaProxy(stackEnv['DATABASE_URL']!, proxies.postgres) },
    indexer: { OPENSEARCH_URL: viaProxy(stackEnv['OPENSEARCH_URL']!, proxies.opensearch) },
  };
  const registry = { SCHEMA_REGISTRY_URL: viaProxy(stackEnv['SCHEMA_REGISTRY_URL']!, proxies.registry) };
  const envs = new Map<Name, Record<string, string>>();
  const running = new Map<Name, ServiceProcess & { kill(signal?: NodeJS.Signals): Promise<void> }>();
  const extras: ServiceProcess[] = [];
  const logs = new Set<string>();
  const stop = async () => {
    await Promise.all([...running.values(), ...extras].map((s) => s.stop()));
    await Promise.all(Object.values(proxies).map((p) => p.close()));
  };
  try {
    for (const [name, planned] of await privatePipelinePlan()) {
      const full = { ...planned, ...env, ...registry, ...(name in overrides ? overrides[name as Worker] : {}) };
      envs.set(name, full);
      running.set(name, await startService(name, full));
      logs.add(running.get(name)!.logFile);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    ingestUrl: `http://127.0.0.1:${INGEST_PORT}`,
    queryUrl: `http://127.0.0.1:${QUERY_PORT}`,
    proxies,
    groupOf: (name) => envs.get(name)!['CONSUMER_GROUP']!,
    logFiles: () => [...logs],
    async stopWorker(name, signal) {
      const proc = running.get(name)!;
      running.delete(name);
      await proc.stop(signal);
    },
    async startWorker(name) {
      running.set(name, await startService(name, envs.get(name)!));
      logs.add(running.get(name)!.logFile);
    },
    async ready(name) {
      const proc = running.get(name);
      if (!proc) return false;
      return (await fetch(`${proc.opsUrl}/readyz`).catch(() => null))?.status === 200;
    },
    opsUrl: (name) => running.get(name)!.opsUrl,
    async addMember(name, metricsPort) {
      const member = await startService(name, { ...envs.get(name)!, METRICS_PORT: String(metricsPort) });
      extras.push(member);
      logs.add(member.logFile);
      return member;
    },
    stop,
  };
}
