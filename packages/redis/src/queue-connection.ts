import { Redis } from 'ioredis';
import type { RedisClient } from './redis-client.ts';

/**
 * A connection for BullMQ queues and workers (which block on it, so maxRetriesPerRequest
 * must be null). Features that own a queue (dead-letter replay) get it here, so ioredis
 * is imported by this package only.
 */
export function createQueueConnection(redisUrl: string): RedisClient {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}
