import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { common } from './fields.ts';
import { parseConfig } from './parse-config.ts';
import { buildStoreConnections, loadStoreConnections, type StoreConfig } from './store-connections.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/ca.pem': PEM, '/not-a-cert': 'hello' };
const read = (path: string) => {
  if (!(path in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return files[path]!;
};

/** The defaults of `fields.common` (the local stack), overridden per case, parsed the way a main does. */
function config(env: Record<string, string>): StoreConfig {
  return parseConfig('test', z.object(common), env);
}

describe('buildStoreConnections', () => {
  it('the local stack: no TLS, no credentials anywhere, no problems', () => {
    const { connections, problems } = buildStoreConnections(config({}), read);
    expect(problems).toEqual([]);
    expect(connections.kafka).toEqual({ brokers: ['127.0.0.1:9092'], tls: null, sasl: null });
    expect(connections.schemaRegistry).toEqual({ url: 'http://127.0.0.1:8081/apis/ccompat/v7', auth: null, tls: null });
    expect(connections.redis).toEqual({ url: 'redis://127.0.0.1:6379', tls: null });
    expect(connections.opensearch).toEqual({ url: 'http://127.0.0.1:9200', auth: null, tls: null });
    expect(connections.postgres).toEqual({ connectionString: 'postgres://vigil_app@127.0.0.1:5432/vigil', ssl: null });
  });

  it('the new passwords are secrets: given as <NAME>_FILE, and refused inline in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-secret-'));
    writeFileSync(join(dir, 'kafka'), 'scram-pw\n');
    const cfg = config({ KAFKA_SASL_PASSWORD_FILE: join(dir, 'kafka') });
    expect(cfg.KAFKA_SASL_PASSWORD).toBe('scram-pw');
    rmSync(dir, { recursive: true, force: true });
    for (const name of ['KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_PASSWORD', 'OPENSEARCH_PASSWORD']) {
      expect(() => config({ NODE_ENV: 'production', [name]: 'inline' })).toThrow(`${name}: refused in production: a credential in the environment; give it as ${name}_FILE`);
    }
  });

  it('Kafka SASL_SSL from variables', () => {
    const { connections, problems } = buildStoreConnections(
      config({ KAFKA_BROKERS: 'k1:9093', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/ca.pem', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'vigil', KAFKA_SASL_PASSWORD: 'pw' }),
      read,
    );
    expect(problems).toEqual([]);
    expect(connections.kafka).toEqual({ brokers: ['k1:9093'], tls: { ca: PEM }, sasl: { mechanism: 'scram-sha-512', username: 'vigil', password: 'pw' } });
  });

  it('registry and OpenSearch: credentials move out of the URL; separate variables work too; a CA only with https', () => {
    const { connections, problems } = buildStoreConnections(
      config({
        SCHEMA_REGISTRY_URL: 'https://reg%40user:p%3Ass@registry:8443/apis/ccompat/v7',
        SCHEMA_REGISTRY_CA_FILE: '/ca.pem',
        OPENSEARCH_URL: 'https://search:9200',
        OPENSEARCH_USERNAME: 'indexer',
        OPENSEARCH_PASSWORD: 'pw',
      }),
      read,
    );
    expect(problems).toEqual([]);
    expect(connections.schemaRegistry).toEqual({ url: 'https://registry:8443/apis/ccompat/v7', auth: { username: 'reg@user', password: 'p:ss' }, tls: { ca: PEM } });
    expect(connections.opensearch).toEqual({ url: 'https://search:9200', auth: { username: 'indexer', password: 'pw' }, tls: { ca: undefined } });
  });

  it('Redis: rediss:// is TLS with the CA; Postgres: sslmode becomes an ssl object and leaves the URL', () => {
    const { connections, problems } = buildStoreConnections(
      config({ REDIS_URL: 'rediss://dedup:pw@redis:6380', REDIS_CA_FILE: '/ca.pem', DATABASE_URL: 'postgres://app:pw@db:5432/vigil?sslmode=verify-ca&application_name=x', DATABASE_CA_FILE: '/ca.pem' }),
      read,
    );
    expect(problems).toEqual([]);
    expect(connections.redis).toEqual({ url: 'rediss://dedup:pw@redis:6380', tls: { ca: PEM } });
    expect(connections.postgres).toEqual({ connectionString: 'postgres://app:pw@db:5432/vigil?application_name=x', ssl: { ca: PEM, verifyHost: false } });
    const caOnly = buildStoreConnections(config({ DATABASE_CA_FILE: '/ca.pem' }), read).connections.postgres;
    expect(caOnly.ssl).toEqual({ ca: PEM, verifyHost: true });
  });

  it('reports every inconsistent or unreadable setting at once, naming variables and paths but no secret', () => {
    const { problems } = buildStoreConnections(
      config({
        KAFKA_SSL_CA_FILE: '/ca.pem',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'kafka-secret',
        SCHEMA_REGISTRY_URL: 'https://a:reg-secret@registry',
        SCHEMA_REGISTRY_USERNAME: 'b',
        SCHEMA_REGISTRY_PASSWORD: 'other-secret',
        SCHEMA_REGISTRY_CA_FILE: '/missing.pem',
        REDIS_CA_FILE: '/ca.pem',
        OPENSEARCH_URL: 'https://search:9200',
        OPENSEARCH_USERNAME: 'only-user',
        OPENSEARCH_CA_FILE: '/not-a-cert',
        DATABASE_URL: 'postgres://app@db/vigil?sslmode=prefer',
      }),
      read,
    );
    expect(problems).toEqual([
      'KAFKA_SSL_CA_FILE: needs KAFKA_SSL=true',
      'KAFKA_SASL_MECHANISM: required with KAFKA_SASL_USERNAME (plain, scram-sha-256 or scram-sha-512)',
      'SCHEMA_REGISTRY_URL: credentials both in the URL and in SCHEMA_REGISTRY_USERNAME/_PASSWORD; give one',
      'SCHEMA_REGISTRY_CA_FILE: cannot read /missing.pem (ENOENT)',
      'REDIS_CA_FILE: needs a rediss:// REDIS_URL',
      'OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD: set both or neither',
      'OPENSEARCH_CA_FILE: /not-a-cert holds no PEM certificate',
      'DATABASE_URL: sslmode=prefer may fall back to plaintext; use disable, require, verify-ca or verify-full',
    ]);
    expect(problems.join('\n')).not.toMatch(/secret/);
  });

  it('in production refuses credentials over plaintext for every store, and accepts them over TLS', () => {
    // Passwords in the environment are refused by secret-files in production; parse outside it, then flip.
    const parsed = config({
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
      SCHEMA_REGISTRY_USERNAME: 'u',
      SCHEMA_REGISTRY_PASSWORD: 'p',
      OPENSEARCH_USERNAME: 'u',
      OPENSEARCH_PASSWORD: 'p',
    });
    const withUrls = { ...parsed, NODE_ENV: 'production', REDIS_URL: 'redis://u:p@redis:6379', DATABASE_URL: 'postgres://u:p@db/vigil' };
    expect(buildStoreConnections(withUrls, read).problems.map((p) => p.split(':')[0])).toEqual(['KAFKA_SASL_MECHANISM', 'SCHEMA_REGISTRY_URL', 'REDIS_URL', 'OPENSEARCH_URL', 'DATABASE_URL']);
    const encrypted = {
      ...withUrls,
      KAFKA_SSL: true,
      SCHEMA_REGISTRY_URL: 'https://registry',
      OPENSEARCH_URL: 'https://search:9200',
      REDIS_URL: 'rediss://u:p@redis:6380',
      DATABASE_URL: 'postgres://u:p@db/vigil?sslmode=verify-full',
    };
    expect(buildStoreConnections(encrypted, read).problems).toEqual([]);
    // Outside production the same plaintext set-up is allowed (the local stack, docker compose).
    expect(buildStoreConnections({ ...withUrls, NODE_ENV: 'development' }, read).problems).toEqual([]);
  });

  it('loadStoreConnections throws one ConfigError with every problem', () => {
    expect(() => loadStoreConnections('dedup', config({ REDIS_CA_FILE: '/ca.pem', DATABASE_CA_FILE: '/missing' }), read)).toThrow(
      /dedup: invalid configuration:\n {2}- REDIS_CA_FILE: needs a rediss:\/\/ REDIS_URL\n {2}- DATABASE_CA_FILE: cannot read \/missing/,
    );
  });
});
