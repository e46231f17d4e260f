import { readFileSync } from 'node:fs';
import { ConfigError } from './parse-config.ts';

/**
 * How Vigil reaches each store: TLS trust and credentials, built once at start-up from
 * the parsed config (docs/store-connections.md). Client packages turn these plain
 * objects into their library's options; nothing else decides transport security.
 */

/** Verify the server's certificate chain (always) against this CA, or the system roots. */
export interface TlsTrust {
  /** PEM of the CA bundle; undefined = Node's default roots. */
  readonly ca: string | undefined;
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly tls: TlsTrust | null;
  readonly sasl: (Credentials & { readonly mechanism: SaslMechanism }) | null;
}

/** The schema registry and OpenSearch: HTTP(S) with optional basic auth. */
export interface HttpStoreConnection {
  /** Without credentials: they travel in `auth` so the URL can be logged. */
  readonly url: string;
  readonly auth: Credentials | null;
  readonly tls: TlsTrust | null;
}

export interface RedisConnection {
  /** `redis://` or `rediss://`, with the ACL user and password if any (ioredis reads them). */
  readonly url: string;
  readonly tls: TlsTrust | null;
}

export interface PostgresConnection {
  /** Without sslmode/sslrootcert: TLS is `ssl` below, so pg cannot re-read files per connection. */
  readonly connectionString: string;
  /** `verifyHost: false` is sslmode=verify-ca: the chain is checked, the host name not. */
  readonly ssl: (TlsTrust & { readonly verifyHost: boolean }) | null;
}

export interface StoreConnections {
  readonly kafka: KafkaConnection;
  readonly schemaRegistry: HttpStoreConnection;
  readonly redis: RedisConnection;
  readonly opensearch: HttpStoreConnection;
  readonly postgres: PostgresConnection;
}

/** The config fields this reads (`fields.common`); every one but the URLs is optional. */
export interface StoreConfig {
  readonly NODE_ENV?: string | undefined;
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_SSL?: boolean | undefined;
  readonly KAFKA_SSL_CA_FILE?: string | undefined;
  readonly KAFKA_SASL_MECHANISM?: SaslMechanism | undefined;
  readonly KAFKA_SASL_USERNAME?: string | undefined;
  readonly KAFKA_SASL_PASSWORD?: string | undefined;
  readonly SCHEMA_REGISTRY_URL: string;
  readonly SCHEMA_REGISTRY_USERNAME?: string | undefined;
  readonly SCHEMA_REGISTRY_PASSWORD?: string | undefined;
  readonly SCHEMA_REGISTRY_CA_FILE?: string | undefined;
  readonly REDIS_URL: string;
  readonly REDIS_CA_FILE?: string | undefined;
  readonly OPENSEARCH_URL: string;
  readonly OPENSEARCH_USERNAME?: string | undefined;
  readonly OPENSEARCH_PASSWORD?: string | undefined;
  readonly OPENSEARCH_CA_FILE?: string | undefined;
  readonly DATABASE_URL: string;
  readonly DATABASE_CA_FILE?: string | undefined;
}

/** The TLS and credential settings alone, for tools that take the URLs elsewhere (the operator CLI). */
export type StoreSecurity = Omit<StoreConfig, 'KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL' | 'REDIS_URL' | 'OPENSEARCH_URL' | 'DATABASE_URL'>;

export interface StoreConnectionsResult {
  readonly connections: StoreConnections;
  /** Every problem at once; names variables and paths, never a value. */
  readonly problems: readonly string[];
}

type Read = (path: string) => string;

interface Builder {
  readonly read: Read;
  readonly problems: string[];
  readonly production: boolean;
}

/** A CA file as PEM, or a problem. Read here, once: no client re-reads it per connection. */
function trust(b: Builder, variable: string, path: string | undefined): TlsTrust {
  if (path === undefined || path === '') return { ca: undefined };
  try {
    const pem = b.read(path);
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) b.problems.push(`${variable}: ${path} holds no PEM certificate`);
    return { ca: pem };
  } catch (err) {
    b.problems.push(`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return { ca: undefined };
  }
}

/**
 * In production a credential never crosses the network in clear: a store connection that
 * authenticates without TLS is refused at start-up (docs/store-connections.md).
 */
function refusePlaintext(b: Builder, variable: string, authenticates: boolean, encrypted: boolean): void {
  if (b.production && authenticates && !encrypted) b.problems.push(`${variable}: refused in production: credentials over a connection without TLS`);
}

function pair(b: Builder, prefix: string, username: string | undefined, password: string | undefined): Credentials | null {
  if (username === undefined && password === undefined) return null;
  if (username === undefined || password === undefined) {
    b.problems.push(`${prefix}_USERNAME and ${prefix}_PASSWORD: set both or neither`);
    return null;
  }
  return { username, password };
}

function kafkaOf(b: Builder, c: StoreConfig): KafkaConnection {
  const ssl = c.KAFKA_SSL === true;
  if (!ssl && c.KAFKA_SSL_CA_FILE) b.problems.push('KAFKA_SSL_CA_FILE: needs KAFKA_SSL=true');
  const credentials = pair(b, 'KAFKA_SASL', c.KAFKA_SASL_USERNAME, c.KAFKA_SASL_PASSWORD);
  if (credentials !== null && c.KAFKA_SASL_MECHANISM === undefined) b.problems.push('KAFKA_SASL_MECHANISM: required with KAFKA_SASL_USERNAME (plain, scram-sha-256 or scram-sha-512)');
  if (credentials === null && c.KAFKA_SASL_MECHANISM !== undefined) b.problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM');
  const sasl = credentials !== null && c.KAFKA_SASL_MECHANISM !== undefined ? { mechanism: c.KAFKA_SASL_MECHANISM, ...credentials } : null;
  refusePlaintext(b, 'KAFKA_SASL_MECHANISM', sasl !== null, ssl);
  return { brokers: c.KAFKA_BROKERS, tls: ssl ? trust(b, 'KAFKA_SSL_CA_FILE', c.KAFKA_SSL_CA_FILE) : null, sasl };
}

/** Registry and OpenSearch: credentials in the URL or in two variables, not both. */
function httpStoreOf(b: Builder, prefix: 'SCHEMA_REGISTRY' | 'OPENSEARCH', rawUrl: string, username: string | undefined, password: string | undefined, caFile: string | undefined): HttpStoreConnection {
  const url = new URL(rawUrl);
  const inUrl = url.username !== '' ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : null;
  const separate = pair(b, prefix, username, password);
  if (inUrl !== null && separate !== null) b.problems.push(`${prefix}_URL: credentials both in the URL and in ${prefix}_USERNAME/_PASSWORD; give one`);
  url.username = '';
  url.password = '';
  const https = url.protocol === 'https:';
  if (!https && caFile) b.problems.push(`${prefix}_CA_FILE: the URL is not https`);
  const auth = separate ?? inUrl;
  refusePlaintext(b, `${prefix}_URL`, auth !== null, https);
  // URL serialisation adds a trailing slash to a bare origin; the codec appends paths itself.
  return { url: url.toString().replace(/\/$/, ''), auth, tls: https ? trust(b, `${prefix}_CA_FILE`, caFile) : null };
}

function redisOf(b: Builder, c: StoreConfig): RedisConnection {
  const url = new URL(c.REDIS_URL);
  const tls = url.protocol === 'rediss:';
  if (!tls && c.REDIS_CA_FILE) b.problems.push('REDIS_CA_FILE: needs a rediss:// REDIS_URL');
  refusePlaintext(b, 'REDIS_URL', url.password !== '', tls);
  return { url: c.REDIS_URL, tls: tls ? trust(b, 'REDIS_CA_FILE', c.REDIS_CA_FILE) : null };
}

const verifyingModes = new Set(['require', 'verify-ca', 'verify-full']);
/** Parameters pg would otherwise act on per connection (and read files for); TLS is decided here. */
const sslParameters = ['sslmode', 'sslrootcert', 'ssl', 'uselibpqcompat'];

/**
 * sslmode in the URL, or DATABASE_CA_FILE alone (meaning verify-full). `require` verifies
 * the chain as pg itself does today (stricter than libpq); `prefer`/`allow` are refused
 * because they silently fall back to plaintext.
 */
function postgresOf(b: Builder, c: StoreConfig): PostgresConnection {
  const url = new URL(c.DATABASE_URL);
  const mode = url.searchParams.get('sslmode') ?? (c.DATABASE_CA_FILE ? 'verify-full' : 'disable');
  if (url.searchParams.has('sslrootcert')) b.problems.push('DATABASE_URL: give the CA as DATABASE_CA_FILE, not sslrootcert');
  for (const name of sslParameters) url.searchParams.delete(name);
  let ssl: PostgresConnection['ssl'] = null;
  if (verifyingModes.has(mode)) ssl = { ...trust(b, 'DATABASE_CA_FILE', c.DATABASE_CA_FILE), verifyHost: mode !== 'verify-ca' };
  else if (mode !== 'disable') b.problems.push(`DATABASE_URL: sslmode=${mode} may fall back to plaintext; use disable, require, verify-ca or verify-full`);
  else if (c.DATABASE_CA_FILE) b.problems.push('DATABASE_CA_FILE: the DATABASE_URL says sslmode=disable');
  refusePlaintext(b, 'DATABASE_URL', url.password !== '', ssl !== null);
  return { connectionString: url.toString(), ssl };
}

/** Pure given `read`: the connection of every store and every problem with them. */
export function buildStoreConnections(config: StoreConfig, read: Read): StoreConnectionsResult {
  const b: Builder = { read, problems: [], production: config.NODE_ENV === 'production' };
  const connections: StoreConnections = {
    kafka: kafkaOf(b, config),
    schemaRegistry: httpStoreOf(b, 'SCHEMA_REGISTRY', config.SCHEMA_REGISTRY_URL, config.SCHEMA_REGISTRY_USERNAME, config.SCHEMA_REGISTRY_PASSWORD, config.SCHEMA_REGISTRY_CA_FILE),
    redis: redisOf(b, config),
    opensearch: httpStoreOf(b, 'OPENSEARCH', config.OPENSEARCH_URL, config.OPENSEARCH_USERNAME, config.OPENSEARCH_PASSWORD, config.OPENSEARCH_CA_FILE),
    postgres: postgresOf(b, config),
  };
  return { connections, problems: b.problems };
}

/** For `main` files, right after parseConfig: reads the CA files once, throws every problem at once. */
export function loadStoreConnections(service: string, config: StoreConfig, read: Read = (p) => readFileSync(p, 'utf8')): StoreConnections {
  const { connections, problems } = buildStoreConnections(config, read);
  if (problems.length > 0) throw new ConfigError(service, problems);
  return connections;
}
