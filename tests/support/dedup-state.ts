import { createRedisClient, type RedisClient } from '@vigil/redis';
import { tenantOfWindowKey } from '@vigil/dedup';
import { stackEnv } from './stack-env.ts';

export async function connectedRedis(url = stackEnv['REDIS_URL']!): Promise<RedisClient> {
  const redis = createRedisClient(url, 'vigil-tests-dedup');
  // The client queues nothing while connecting (workers fail fast): wait until it is up.
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

/** The count of every live dedup window of the tenant, ascending. */
export async function windowCounts(redis: RedisClient, tenant: string): Promise<number[]> {
  const counts: number[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `vigil:dedup:{${tenant}}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys.filter((k) => tenantOfWindowKey(k) === tenant)) counts.push(Number(await redis.hget(key, 'n')));
  } while (cursor !== '0');
  return counts.sort((a, b) => a - b);
}

/** Sum of a metric over its label sets, from a worker's /metrics. */
export async function metric(opsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}
