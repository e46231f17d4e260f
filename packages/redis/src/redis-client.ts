import { Redis } from 'ioredis';
import { dependencyUnavailable } from '@vigil/errors';

export type RedisClient = Redis;

/**
 * Fail fast when Redis is down or hangs: no offline queue, a command timeout and one
 * retry per command, so a
 * caller gets DEPENDENCY_UNAVAILABLE in milliseconds and the stage runtime can pause
 * instead of piling up commands in memory.
 */
export function createRedisClient(url: string, name: string): RedisClient {
  const client = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // A Redis that hangs (rather than refusing connections) must also fail fast.
    commandTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  // Connection errors are reported through failed commands; without a listener
  // ioredis would print every reconnect attempt as an unhandled error.
  client.on('error', () => undefined);
  return client;
}

/** Run a Redis call, turning connection trouble into a retriable catalogue error. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw dependencyUnavailable('redis', err);
  }
}

export async function redisHealthy(client: RedisClient): Promise<boolean> {
  try {
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  }
}
