import { Redis } from 'ioredis';
import { VigilError, dependencyUnavailable, isRedisOutage } from '@vigil/errors';
import { redisTransport, type RedisTarget } from './redis-connection.ts';

export type RedisClient = Redis;

/**
 * Fail fast when Redis is down or hangs: no offline queue, a command timeout and one
 * retry per command, so a
 * caller gets DEPENDENCY_UNAVAILABLE in milliseconds and the stage runtime can pause
 * instead of piling up commands in memory.
 */
export function createRedisClient(target: RedisTarget, name: string): RedisClient {
  const { url, tls } = redisTransport(target);
  const client = new Redis(url, {
    ...(tls ? { tls } : {}),
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

/**
 * A Redis error as a catalogue error: connection trouble (and Redis' transient replies)
 * is an outage; an error reply of a reachable server (a script that raised, WRONGTYPE)
 * is a failure of this operation, retried a few times and then dead-lettered.
 */
export function redisFailure(err: unknown): VigilError {
  if (isRedisOutage(err)) return dependencyUnavailable('redis', err);
  return new VigilError('STORE_OPERATION_FAILED', `redis: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500), { dependency: 'redis' }, { cause: err });
}

/** Run a Redis call, turning its errors into catalogue errors (see redisFailure). */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw redisFailure(err);
  }
}

export async function redisHealthy(client: RedisClient): Promise<boolean> {
  try {
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  }
}
