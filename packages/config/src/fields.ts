import { z } from 'zod';

/** Shared field parsers so every service reads the same variable the same way. */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const url = (fallback: string) => z.string().url().default(fallback);

export const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) => s.split(',').map((part) => part.trim()).filter((part) => part.length > 0))
    .pipe(z.array(z.string()).min(1));

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

// An empty variable counts as unset, as a compose file's `NAME:` without a value leaves it.
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

/** A whole number in [min, max], `fallback` when unset or empty. */
export const count = (min: number, max: number, fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));

/** A whole number in [min, max], undefined when unset or empty. */
export const optionalCount = (min: number, max: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).optional());

export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

const optionalText = z.string().min(1).optional();

/**
 * TLS trust and credentials of the stores (docs/store-connections.md); turned into one
 * connection object per store by `loadStoreConnections`. Passwords may be `<NAME>_FILE`.
 */
export const storeSecurity = {
  KAFKA_SSL: bool(false),
  KAFKA_SSL_CA_FILE: optionalText,
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: optionalText,
  SCHEMA_REGISTRY_USERNAME: optionalText,
  SCHEMA_REGISTRY_PASSWORD: optionalText,
  SCHEMA_REGISTRY_CA_FILE: optionalText,
  REDIS_CA_FILE: optionalText,
  OPENSEARCH_USERNAME: optionalText,
  OPENSEARCH_PASSWORD: optionalText,
  OPENSEARCH_CA_FILE: optionalText,
  DATABASE_CA_FILE: optionalText,
};

/** The same settings on their own, for tools that take the URLs elsewhere (the operator CLI). */
export const storeSecuritySchema = z.object(storeSecurity);

/** Connection settings every service shares; each service picks what it needs. */
export const common = {
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  KAFKA_BROKERS: csv('127.0.0.1:9092'),
  SCHEMA_REGISTRY_URL: url('http://127.0.0.1:8081/apis/ccompat/v7'),
  REDIS_URL: url('redis://127.0.0.1:6379'),
  DATABASE_URL: url('postgres://vigil_app@127.0.0.1:5432/vigil'),
  OPENSEARCH_URL: url('http://127.0.0.1:9200'),
  METRICS_HOST: z.string().default('127.0.0.1'),
  ...storeSecurity,
};

/** The stage consumers' fetch linger (STAGE_FETCH_*), also what a runtime without settings uses. */
export const STAGE_FETCH_DEFAULTS = Object.freeze({ minBytes: 262_144, maxWaitMs: 50 });

/** What every stage worker reads. */
export const worker = (metricsPort: number) => ({
  ...common,
  METRICS_PORT: port(metricsPort),
  /** Override the consumer group; tests use it to run isolated workers. */
  CONSUMER_GROUP: z.string().min(1).optional(),
  /** Kafka group session timeout: how fast a crashed worker's partitions move on. */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  /** How long a partition's committed offset may stand still with lag > 0 before it is reported stuck. */
  STAGE_STUCK_AFTER_SECONDS: positiveInt(60),
  /**
   * Records per slice (one handler call, one transaction for correlate). Smaller slices wait
   * less behind each other under load; larger ones spread fixed per-slice costs wider.
   */
  STAGE_SLICE_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Partitions a worker handles at the same time (slices in flight at once). */
  STAGE_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(3),
  /**
   * Kafka fetch.min.bytes / fetch.max.wait.ms of a stage's consumer: the broker holds a fetch
   * up to the wait unless that many bytes are there. Answering every fetch at the first
   * record (1 byte) made the half-load latency worse on a busy machine (docs/benchmarks.md,
   * sixth round): a 50 ms linger per hop measured better at p50 and p99.
   */
  STAGE_FETCH_MIN_BYTES: z.coerce.number().int().min(1).max(16_777_216).default(STAGE_FETCH_DEFAULTS.minBytes),
  STAGE_FETCH_MAX_WAIT_MS: z.coerce.number().int().min(1).max(10_000).default(STAGE_FETCH_DEFAULTS.maxWaitMs),
});

/** What every HTTP API reads: where to listen and how to verify tokens. */
export const api = (servicePort: number, metricsPort: number) => ({
  ...common,
  HOST: z.string().default('127.0.0.1'),
  PORT: port(servicePort),
  METRICS_PORT: port(metricsPort),
  JWKS_URL: z.string().url().optional(),
  JWKS_FILE: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  TENANT_CLAIM: z.string().min(1).default('tenant'),
  REQUEST_TIMEOUT_MS: positiveInt(15_000),
});

/** Refinement for `api` configs: a key source is required. */
export function requireJwks(cfg: { JWKS_URL?: string | undefined; JWKS_FILE?: string | undefined }, ctx: z.RefinementCtx): void {
  if (!cfg.JWKS_URL && !cfg.JWKS_FILE) ctx.addIssue({ code: 'custom', path: ['JWKS_URL'], message: 'set JWKS_URL or JWKS_FILE' });
  // Keys fetched over plain HTTP can be swapped on the way, and with them every tenant's tokens.
  if (cfg.JWKS_URL && !jwksUrlIsSafe(cfg.JWKS_URL)) ctx.addIssue({ code: 'custom', path: ['JWKS_URL'], message: 'JWKS_URL must use https (plain http only on a loopback address)' });
}

function jwksUrlIsSafe(raw: string): boolean {
  if (!URL.canParse(raw)) return true; // z.string().url() reports it
  const url = new URL(raw);
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
