import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWKS_PORT } from '@vigil/auth';
import { parseTopicConfig, type TopicConfig } from '@vigil/kafka';
import { parseIndexLayout, type IndexLayout } from '@vigil/search';
import { KAFKA_BOOTSTRAP_SERVERS, OPENSEARCH_URL, REDIS_URL, SCHEMA_REGISTRY_URL, defaultCacheDir } from './stack/index.ts';
import { parseWorkerCounts, type WorkerCounts } from './worker-instances.ts';

/** Where services listen; one table for `vigil run`, the demo feed and the tests. */
export const servicePorts = Object.freeze({
  'ingest-api': { port: 8000, metrics: 9500 },
  'query-api': { port: 8001, metrics: 9501 },
  dedup: { port: null, metrics: 9502 },
  indexer: { port: null, metrics: 9503 },
  correlate: { port: null, metrics: 9504 },
});

export type ServiceName = keyof typeof servicePorts;
export const serviceNames = Object.keys(servicePorts) as ServiceName[];

export interface DevContext {
  readonly repoRoot: string;
  readonly stateDir: string;
  readonly idpDir: string;
  readonly cacheDir: string;
  readonly javaHome: string | undefined;
  readonly adminDatabaseUrl: string;
  /** The environment every Vigil service gets when the CLI or the tests start it. */
  readonly serviceEnv: Readonly<Record<string, string>>;
  readonly ingestUrl: string;
  readonly queryUrl: string;
  /** PATH and HOME of the invoking shell, for the processes the CLI starts. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Partitions, RF and min.insync.replicas of the topics provisioning creates (KAFKA_PARTITIONS, …). */
  readonly topicConfig: TopicConfig;
  /** Shards and replicas of the indices (OPENSEARCH_SHARDS, OPENSEARCH_REPLICAS). */
  readonly indexLayout: IndexLayout;
  /** Instances of each worker `vigil run` starts (VIGIL_WORKERS). */
  readonly workers: WorkerCounts;
}

const repoRoot = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

export function createDevContext(env: Readonly<Record<string, string | undefined>>): DevContext {
  const stateDir = join(repoRoot, '.vigil');
  const jwksUrl = `http://127.0.0.1:${DEV_JWKS_PORT}/.well-known/jwks.json`;
  return {
    repoRoot,
    stateDir,
    idpDir: join(stateDir, 'idp'),
    cacheDir: defaultCacheDir({ VIGIL_CACHE_DIR: env['VIGIL_CACHE_DIR'], HOME: env['HOME'] }),
    javaHome: env['JAVA_HOME'],
    adminDatabaseUrl: env['VIGIL_ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    serviceEnv: Object.freeze({
      NODE_ENV: 'development',
      KAFKA_BROKERS: KAFKA_BOOTSTRAP_SERVERS,
      SCHEMA_REGISTRY_URL,
      REDIS_URL,
      OPENSEARCH_URL,
      DATABASE_URL: 'postgres://vigil_app@127.0.0.1:5432/vigil',
      JWKS_URL: jwksUrl,
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: DEV_AUDIENCE,
      LOG_LEVEL: env['LOG_LEVEL'] ?? 'info',
      // `GATEWAY_PROCESSES=2 npm start`: the gateway as a process group (docs/operations.md).
      ...(env['GATEWAY_PROCESSES'] ? { GATEWAY_PROCESSES: env['GATEWAY_PROCESSES'] } : {}),
    }),
    baseEnv: Object.freeze({ PATH: env['PATH'] ?? '/usr/bin:/bin', HOME: env['HOME'] ?? '/root' }),
    ingestUrl: 'http://127.0.0.1:8000',
    queryUrl: 'http://127.0.0.1:8001',
    topicConfig: parseTopicConfig(env),
    indexLayout: parseIndexLayout(env),
    workers: parseWorkerCounts(env['VIGIL_WORKERS']),
  };
}
