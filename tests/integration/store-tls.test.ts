import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fields, loadStoreConnections, parseConfig, type StoreConnections } from '@vigil/config';
import { topics } from '@vigil/contracts';
import { sampleAlert } from '@vigil/contracts/testing';
import { createCodec } from '@vigil/kafka';
import { createPool } from '@vigil/postgres';
import { createRedisClient, type RedisClient } from '@vigil/redis';
import { createSearchClient, searchCall } from '@vigil/search';
import { freePort } from '../support/ports.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { stackEnv } from '../support/stack-env.ts';
import { createTestCertificates, type TestCertificates } from '../support/test-certificates.ts';
import { startTlsAuthProxy, type TlsAuthProxy } from '../support/tls-auth-proxy.ts';

/**
 * Every store connection with TLS and credentials, built the way a service's main builds
 * it (parseConfig, then loadStoreConnections reading the CA file), against real
 * endpoints: a private TLS-only Redis with an ACL user, a private TLS-only PostgreSQL, and the stack's OpenSearch and
 * schema registry behind a TLS + basic-auth proxy (they run without security plugins
 * locally). Kafka SASL_SSL has its own file (kafka-sasl-tls.test.ts).
 */
function connections(env: Record<string, string>): StoreConnections {
  return loadStoreConnections('store-tls-test', parseConfig('store-tls-test', z.object(fields.common), env));
}

/** The first error the client reports (connection, TLS or AUTH), or null once it is ready (`once` rejects on 'error'). */
async function firstProblem(client: RedisClient): Promise<Error | null> {
  try {
    await once(client, 'ready');
    return null;
  } catch (err) {
    return err as Error;
  }
}

let certs: TestCertificates;

beforeAll(() => {
  certs = createTestCertificates();
});
afterAll(() => {
  certs?.remove();
});

describe('Redis over TLS with an ACL user (private redis-server)', () => {
  const user = { name: 'vigil-dedup', password: randomBytes(12).toString('hex') };
  let redis: PrivateRedis;
  const clients: RedisClient[] = [];
  const client = (env: Record<string, string>) => {
    const c = createRedisClient(connections(env).redis, 'vigil-tls-test');
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startPrivateRedis(certs, await freePort(), user);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  it('connects with rediss://, the CA file and the user, and serves commands', async () => {
    const c = client({ REDIS_URL: `rediss://${user.name}:${user.password}@127.0.0.1:${redis.port}`, REDIS_CA_FILE: certs.caFile });
    expect(await firstProblem(c)).toBeNull();
    const key = `tls-test:${randomUUID()}`;
    await c.set(key, 'over-tls', 'EX', 60);
    expect([await c.get(key), await c.acl('WHOAMI')]).toEqual(['over-tls', user.name]);
  });

  it('is refused with a wrong password', async () => {
    const c = client({ REDIS_URL: `rediss://${user.name}:wrong-password@127.0.0.1:${redis.port}`, REDIS_CA_FILE: certs.caFile });
    expect((await firstProblem(c))?.message).toMatch(/WRONGPASS/);
  });

  it('does not trust the server without the CA file (certificate not trusted)', async () => {
    const c = client({ REDIS_URL: `rediss://${user.name}:${user.password}@127.0.0.1:${redis.port}` });
    expect((await firstProblem(c))?.message).toMatch(/certificate/i);
  });
});

describe('OpenSearch over TLS with basic auth (proxy in front of the stack)', () => {
  const creds = { username: 'vigil-indexer', password: randomBytes(12).toString('hex') };
  let proxy: TlsAuthProxy;
  const index = `tls-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    proxy = await startTlsAuthProxy({ upstream: stackEnv['OPENSEARCH_URL']!, cert: certs.cert, key: certs.key, ...creds });
  });
  afterAll(async () => {
    await createSearchClient(stackEnv['OPENSEARCH_URL']!).indices.delete({ index }, { ignore: [404] });
    await proxy?.close();
  });

  it('indexes and searches through TLS with the CA and the credentials from their variables', async () => {
    const search = createSearchClient(connections({ OPENSEARCH_URL: proxy.url, OPENSEARCH_USERNAME: creds.username, OPENSEARCH_PASSWORD: creds.password, OPENSEARCH_CA_FILE: certs.caFile }).opensearch);
    await search.index({ index, id: 'a1', body: { message: 'over tls' }, refresh: true });
    const found = await search.search({ index, body: { query: { match: { message: 'tls' } } } });
    expect(found.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['a1']);
    expect(proxy.forwarded()).toBeGreaterThanOrEqual(2);
    await search.close();
  });

  it('takes the credentials from the URL too', async () => {
    const url = new URL(proxy.url);
    url.username = creds.username;
    url.password = creds.password;
    const search = createSearchClient(connections({ OPENSEARCH_URL: url.toString(), OPENSEARCH_CA_FILE: certs.caFile }).opensearch);
    expect((await search.count({ index })).body.count).toBe(1);
    await search.close();
  });

  it('a wrong password is a 401, which the stages treat as the store refusing them (wait, never dead-letter)', async () => {
    const search = createSearchClient(connections({ OPENSEARCH_URL: proxy.url, OPENSEARCH_USERNAME: creds.username, OPENSEARCH_PASSWORD: 'wrong', OPENSEARCH_CA_FILE: certs.caFile }).opensearch);
    await expect(search.count({ index })).rejects.toMatchObject({ statusCode: 401 });
    await expect(searchCall(() => search.count({ index }))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', details: { dependency: 'opensearch' } });
    await search.close();
  });

  it('without the CA file the certificate is not trusted', async () => {
    const search = createSearchClient(connections({ OPENSEARCH_URL: proxy.url, OPENSEARCH_USERNAME: creds.username, OPENSEARCH_PASSWORD: creds.password }).opensearch);
    await expect(search.count({ index })).rejects.toThrow(/certificate/i);
    await search.close();
  });
});

describe('schema registry over TLS with basic auth (proxy in front of the stack)', () => {
  const creds = { username: 'vigil-registry', password: randomBytes(12).toString('hex') };
  let proxy: TlsAuthProxy;
  let registryUrl: string;

  beforeAll(async () => {
    const upstream = new URL(stackEnv['SCHEMA_REGISTRY_URL']!);
    proxy = await startTlsAuthProxy({ upstream: upstream.origin, cert: certs.cert, key: certs.key, ...creds });
    registryUrl = `${proxy.url}${upstream.pathname}`;
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('registers, encodes and decodes through TLS with the CA and basic auth; a second codec fetches the schema by id through the proxy', async () => {
    const secure = { SCHEMA_REGISTRY_URL: registryUrl, SCHEMA_REGISTRY_USERNAME: creds.username, SCHEMA_REGISTRY_PASSWORD: creds.password, SCHEMA_REGISTRY_CA_FILE: certs.caFile };
    const codec = createCodec(connections(secure).schemaRegistry);
    await codec.register([topics.alertsRaw]);
    const alert = sampleAlert({ id: randomUUID() });
    const bytes = await codec.encode(topics.alertsRaw, alert);
    const before = proxy.forwarded();
    // A fresh codec has no schema cached: decoding must fetch it from the registry (the client library's path).
    const reader = createCodec(connections(secure).schemaRegistry);
    expect(await reader.decode(bytes)).toMatchObject({ id: alert.id, tenant_id: alert.tenant_id });
    expect(proxy.forwarded()).toBeGreaterThan(before);
    expect(await reader.healthy()).toBe(true);
  });

  it('wrong credentials stop start-up with STORE_AUTH_FAILED (not retried as an outage); health says no', async () => {
    const url = new URL(registryUrl);
    url.username = creds.username;
    url.password = 'wrong';
    const codec = createCodec(connections({ SCHEMA_REGISTRY_URL: url.toString(), SCHEMA_REGISTRY_CA_FILE: certs.caFile }).schemaRegistry);
    await expect(codec.register([topics.alertsRaw])).rejects.toMatchObject({ code: 'STORE_AUTH_FAILED', retriable: false, message: expect.stringMatching(/HTTP 401/) });
    expect(await codec.healthy()).toBe(false);
  });

  it('without the CA file the registry certificate is not trusted: STORE_AUTH_FAILED naming the CA setting', async () => {
    const codec = createCodec(connections({ SCHEMA_REGISTRY_URL: registryUrl, SCHEMA_REGISTRY_USERNAME: creds.username, SCHEMA_REGISTRY_PASSWORD: creds.password }).schemaRegistry);
    await expect(codec.register([topics.alertsRaw])).rejects.toMatchObject({ code: 'STORE_AUTH_FAILED', message: expect.stringMatching(/SCHEMA_REGISTRY_CA_FILE/) });
  });
});

describe('PostgreSQL over TLS (private cluster: hostssl only, scram-sha-256)', () => {
  const user = { name: 'vigil_tls_app', password: randomBytes(12).toString('hex') };
  let postgres: PrivatePostgres;
  const urlOf = (password: string, sslmode: string) => `postgres://${user.name}:${password}@127.0.0.1:${postgres.port}/postgres?sslmode=${sslmode}`;
  /** Connect once and ask the server whether this very connection is encrypted. */
  async function sslInUse(env: Record<string, string>): Promise<boolean> {
    const pool = createPool(connections(env).postgres, 'vigil-tls-test', 1);
    try {
      const { rows } = await pool.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return rows[0]!.ssl;
    } finally {
      await pool.end();
    }
  }

  beforeAll(async () => {
    postgres = await startPrivatePostgres(certs, await freePort(), user);
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('connects with sslmode=verify-full and DATABASE_CA_FILE; the server reports the connection encrypted', async () => {
    expect(await sslInUse({ DATABASE_URL: urlOf(user.password, 'verify-full'), DATABASE_CA_FILE: certs.caFile })).toBe(true);
  });

  it('is refused with a wrong password', async () => {
    await expect(sslInUse({ DATABASE_URL: urlOf('wrong', 'verify-full'), DATABASE_CA_FILE: certs.caFile })).rejects.toThrow(/password authentication failed/);
  });

  it('does not trust the server without the CA file', async () => {
    await expect(sslInUse({ DATABASE_URL: urlOf(user.password, 'verify-full') })).rejects.toThrow(/certificate/i);
  });

  it('a plaintext connection (sslmode=disable) is refused by the server', async () => {
    await expect(sslInUse({ DATABASE_URL: urlOf(user.password, 'disable') })).rejects.toThrow(/no encryption|pg_hba/);
  });
});
