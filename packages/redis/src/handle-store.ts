import { randomBytes } from 'node:crypto';
import { guarded, type RedisClient } from './redis-client.ts';

/**
 * Short random handles for values too large to travel in a URL, kept in Redis for a
 * time-to-live, per tenant. Query cursors use it for OpenSearch point-in-time ids, which
 * grow with every shard the point in time spans (a year of daily indices is far past any
 * URL limit).
 */
export interface HandleStore {
  /** Store `value` under a new handle (or refresh an existing one). */
  put(tenant: string, value: string, ttlMs: number, handle?: string): Promise<string>;
  /** The value, or null once it expired (or never belonged to this tenant). */
  get(tenant: string, handle: string): Promise<string | null>;
}

export function createHandleStore(redis: RedisClient, namespace: string): HandleStore {
  const key = (tenant: string, handle: string) => `vigil:${namespace}:{${tenant}}:${handle}`;
  return {
    async put(tenant, value, ttlMs, handle = randomBytes(18).toString('base64url')) {
      await guarded(() => redis.set(key(tenant, handle), value, 'PX', Math.max(1, Math.round(ttlMs))));
      return handle;
    },
    get: (tenant, handle) => guarded(() => redis.get(key(tenant, handle))),
  };
}
