import { describe, expect, it } from 'vitest';
import { redisTransport } from './redis-connection.ts';

describe('redisTransport', () => {
  it('a plain URL or a connection without TLS: only the URL (credentials stay in it for ioredis)', () => {
    expect(redisTransport('redis://dedup:pw@redis:6379')).toEqual({ url: 'redis://dedup:pw@redis:6379' });
    expect(redisTransport({ url: 'redis://127.0.0.1:6379', tls: null })).toEqual({ url: 'redis://127.0.0.1:6379' });
  });

  it('rediss:// with a CA: the chain is verified against it', () => {
    expect(redisTransport({ url: 'rediss://dedup:pw@redis:6380', tls: { ca: 'PEM' } })).toEqual({ url: 'rediss://dedup:pw@redis:6380', tls: { rejectUnauthorized: true, ca: 'PEM' } });
    expect(redisTransport({ url: 'rediss://redis:6380', tls: { ca: undefined } })).toEqual({ url: 'rediss://redis:6380', tls: { rejectUnauthorized: true } });
  });
});
