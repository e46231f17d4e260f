import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Endpoints } from './endpoints.ts';
import { storeAccess, storeSecurityFromEnv } from './store-access.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const endpoints = (security: Endpoints['security']): Endpoints => ({
  kafkaBrokers: ['k1:9093'],
  schemaRegistryUrl: 'https://registry/apis/ccompat/v7',
  redisUrl: 'rediss://ops:pw@redis:6380',
  databaseUrl: 'postgres://ops@db/vigil?sslmode=verify-full',
  jwksUrl: 'https://idp/jwks.json',
  jwtIssuer: 'iss',
  jwtAudience: 'aud',
  ingestUrl: 'https://ingest',
  queryUrl: 'https://query',
  opsUrls: { 'ingest-api': 'http://a', 'query-api': 'http://b', dedup: 'http://c', indexer: 'http://d', correlate: 'http://e' },
  runStateFile: null,
  ...(security ? { security } : {}),
});

describe('operator CLI store access', () => {
  it('reads the services’ TLS and credential variables prefixed VIGIL_, secrets from _FILE, and builds every connection from the endpoints after flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-tls-'));
    writeFileSync(join(dir, 'ca.pem'), PEM);
    writeFileSync(join(dir, 'kafka-pw'), 'from-file\n');
    const security = storeSecurityFromEnv({
      KAFKA_SSL: 'false', // an unprefixed service variable is not the CLI's
      VIGIL_KAFKA_SSL: 'true',
      VIGIL_KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
      VIGIL_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      VIGIL_KAFKA_SASL_USERNAME: 'operator',
      VIGIL_KAFKA_SASL_PASSWORD_FILE: join(dir, 'kafka-pw'),
      VIGIL_REDIS_CA_FILE: join(dir, 'ca.pem'),
      VIGIL_DATABASE_CA_FILE: join(dir, 'ca.pem'),
    });
    const stores = storeAccess(endpoints(security));
    expect(stores.kafka).toEqual({ brokers: ['k1:9093'], tls: { ca: PEM }, sasl: { mechanism: 'scram-sha-512', username: 'operator', password: 'from-file' } });
    expect(stores.redis).toEqual({ url: 'rediss://ops:pw@redis:6380', tls: { ca: PEM } });
    expect(stores.postgres.ssl).toEqual({ ca: PEM, verifyHost: true });
    expect(stores.schemaRegistry).toEqual({ url: 'https://registry/apis/ccompat/v7', auth: null, tls: { ca: undefined } });
    rmSync(dir, { recursive: true, force: true });
  });

  it('without security settings a plaintext deployment stays plaintext, and a bad one fails naming the variable', () => {
    const plain = storeAccess({ ...endpoints(undefined), redisUrl: 'redis://127.0.0.1:6379', databaseUrl: 'postgres://vigil_app@127.0.0.1/vigil' });
    expect([plain.kafka.tls, plain.kafka.sasl, plain.redis.tls, plain.postgres.ssl]).toEqual([null, null, null, null]);
    expect(() => storeAccess({ ...endpoints({ REDIS_CA_FILE: '/nope.pem' }), redisUrl: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_CA_FILE: needs a rediss:\/\/ REDIS_URL/);
  });
});
