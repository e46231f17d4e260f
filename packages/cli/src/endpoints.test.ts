import { describe, expect, it } from 'vitest';
import { endpointsFromEnv, endpointsWithFlags, type Endpoints } from './endpoints.ts';

const defaults: Endpoints = {
  kafkaBrokers: ['127.0.0.1:9092'],
  schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
  redisUrl: 'redis://127.0.0.1:6379',
  databaseUrl: 'postgres://vigil_app@127.0.0.1:5432/vigil',
  jwksUrl: 'http://127.0.0.1:8099/.well-known/jwks.json',
  jwtIssuer: 'iss',
  jwtAudience: 'aud',
  ingestUrl: 'http://127.0.0.1:8000',
  queryUrl: 'http://127.0.0.1:8001',
  opsUrls: { 'ingest-api': 'http://127.0.0.1:9500', 'query-api': 'http://127.0.0.1:9501', dedup: 'http://127.0.0.1:9502', indexer: 'http://127.0.0.1:9503', correlate: 'http://127.0.0.1:9504' },
  runStateFile: null,
};

describe('endpoints', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(endpointsFromEnv(defaults, {})).toEqual(defaults);
  });

  it('lets VIGIL_* variables and then flags point the commands at another deployment', () => {
    const env = endpointsFromEnv(defaults, { VIGIL_KAFKA_BROKERS: 'k1:19092, k2:19092', VIGIL_QUERY_URL: 'https://q.example/', VIGIL_REDIS_URL: 'redis://r:7000' });
    expect(env.kafkaBrokers).toEqual(['k1:19092', 'k2:19092']);
    expect(env.queryUrl).toBe('https://q.example');
    const flagged = endpointsWithFlags(env, { 'redis-url': 'redis://r:7001', ops: 'dedup=http://w:9602/' });
    expect(flagged.redisUrl).toBe('redis://r:7001');
    expect(flagged.opsUrls.dedup).toBe('http://w:9602');
    expect(flagged.opsUrls.indexer).toBe(defaults.opsUrls.indexer);
    expect(flagged.kafkaBrokers).toEqual(['k1:19092', 'k2:19092']);
  });

  it('refuses an ops entry that names no service', () => {
    expect(() => endpointsWithFlags(defaults, { ops: 'nope=http://x' })).toThrow(/name=url/);
  });
});
