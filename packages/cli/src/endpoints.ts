import type { StoreSecurity } from '@vigil/config';

/** The stages and APIs whose ops port (/readyz) `vigil status` reads. */
export const opsTargets = ['ingest-api', 'query-api', 'dedup', 'indexer', 'correlate'] as const;
export type OpsTarget = (typeof opsTargets)[number];

/**
 * Where an operator command finds a deployment. Built from defaults (the local stack),
 * then VIGIL_* variables, then flags, so every command can be pointed at any deployment.
 */
export interface Endpoints {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly jwksUrl: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly ingestUrl: string;
  readonly queryUrl: string;
  /** Base URL of each service's ops server (/metrics, /readyz). */
  readonly opsUrls: Readonly<Record<OpsTarget, string>>;
  /** The supervisor's state under `vigil run` (restarts); null when there is none to read. */
  readonly runStateFile: string | null;
  /** TLS and credentials of the stores (VIGIL_KAFKA_SSL, ...); absent: plaintext, as the local stack. */
  readonly security?: StoreSecurity;
}

/** The flags every operator command accepts (parseArgs spec); `--url` stays each command's own. */
export const endpointOptions = {
  brokers: { type: 'string' },
  'registry-url': { type: 'string' },
  'redis-url': { type: 'string' },
  'database-url': { type: 'string' },
  'jwks-url': { type: 'string' },
  ops: { type: 'string' },
} as const;

export const endpointUsage = `endpoints (flag, or variable; default: the local stack):
  --brokers H:P,...      VIGIL_KAFKA_BROKERS        --registry-url U   VIGIL_SCHEMA_REGISTRY_URL
  --redis-url U          VIGIL_REDIS_URL            --database-url U   VIGIL_DATABASE_URL
  --jwks-url U           VIGIL_JWKS_URL (+ VIGIL_JWT_ISSUER, VIGIL_JWT_AUDIENCE)
  --ops name=URL,...     VIGIL_OPS_URLS (ops servers of ${opsTargets.join(', ')})
  VIGIL_INGEST_URL, VIGIL_QUERY_URL (the APIs; --url of send / rules)
  TLS and credentials: the services' variables prefixed VIGIL_ (VIGIL_KAFKA_SSL, VIGIL_KAFKA_SASL_*,
  VIGIL_REDIS_CA_FILE, VIGIL_DATABASE_CA_FILE, VIGIL_SCHEMA_REGISTRY_*; docs/store-connections.md)`;

type Flags = { readonly [K in keyof typeof endpointOptions]?: string | undefined };

const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** `dedup=http://h:9602,correlate=...`: names not given keep their current URL. */
function parseOps(text: string, current: Readonly<Record<OpsTarget, string>>): Record<OpsTarget, string> {
  const out = { ...current };
  for (const pair of list(text)) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at) as OpsTarget;
    if (at < 1 || !opsTargets.includes(name)) throw new Error(`--ops expects name=url with name one of ${opsTargets.join(', ')}, got "${pair}"`);
    out[name] = pair.slice(at + 1).replace(/\/+$/, '');
  }
  return out;
}

function overlay(base: Endpoints, flags: Flags & { ingest?: string | undefined; query?: string | undefined; issuer?: string | undefined; audience?: string | undefined }): Endpoints {
  return {
    ...base,
    ...(flags.brokers ? { kafkaBrokers: list(flags.brokers) } : {}),
    ...(flags['registry-url'] ? { schemaRegistryUrl: flags['registry-url'] } : {}),
    ...(flags['redis-url'] ? { redisUrl: flags['redis-url'] } : {}),
    ...(flags['database-url'] ? { databaseUrl: flags['database-url'] } : {}),
    ...(flags['jwks-url'] ? { jwksUrl: flags['jwks-url'] } : {}),
    ...(flags.issuer ? { jwtIssuer: flags.issuer } : {}),
    ...(flags.audience ? { jwtAudience: flags.audience } : {}),
    ...(flags.ingest ? { ingestUrl: flags.ingest.replace(/\/+$/, '') } : {}),
    ...(flags.query ? { queryUrl: flags.query.replace(/\/+$/, '') } : {}),
    ...(flags.ops ? { opsUrls: parseOps(flags.ops, base.opsUrls) } : {}),
  };
}

/** Defaults overlaid with the VIGIL_* variables (main passes process.env). */
export function endpointsFromEnv(defaults: Endpoints, env: Readonly<Record<string, string | undefined>>): Endpoints {
  return overlay(defaults, {
    brokers: env['VIGIL_KAFKA_BROKERS'],
    'registry-url': env['VIGIL_SCHEMA_REGISTRY_URL'],
    'redis-url': env['VIGIL_REDIS_URL'],
    'database-url': env['VIGIL_DATABASE_URL'],
    'jwks-url': env['VIGIL_JWKS_URL'],
    ops: env['VIGIL_OPS_URLS'],
    issuer: env['VIGIL_JWT_ISSUER'],
    audience: env['VIGIL_JWT_AUDIENCE'],
    ingest: env['VIGIL_INGEST_URL'],
    query: env['VIGIL_QUERY_URL'],
  });
}

/** Endpoints overlaid with a command's flags (flags win over variables). */
export function endpointsWithFlags(endpoints: Endpoints, flags: Flags): Endpoints {
  return overlay(endpoints, flags);
}
