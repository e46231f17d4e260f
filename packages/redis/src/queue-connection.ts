import { Redis } from 'ioredis';
import type { RedisClient } from './redis-client.ts';
import { redisTransport, type RedisTarget } from './redis-connection.ts';

/**
 * A connection for BullMQ queues and workers (which block on it, so maxRetriesPerRequest
 * must be null). Features that own a queue (dead-letter replay) get it here, so ioredis
 * is imported by this package only.
 */
export function createQueueConnection(target: RedisTarget, options: { maxRetriesPerRequest: number | null } = { maxRetriesPerRequest: null }): RedisClient {
  const { url, tls } = redisTransport(target);
  return new Redis(url, { ...(tls ? { tls } : {}), ...options });
}
