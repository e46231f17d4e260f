import { createRedisClient } from '@vigil/redis';
import { dedupKeys } from '@vigil/dedup';

/**
 * Every bench run leaves dedup windows for its tenants (three keys per distinct alert,
 * some 100 MB for a default run) that would otherwise sit in the shared Redis until
 * their window expires. The tenant is a hash tag in every key, so a tenant glob finds
 * exactly the bench's state. Returns how many keys were removed.
 */
export async function purgeDedupState(redisUrl: string, tenantGlob: string): Promise<number> {
  const redis = createRedisClient(redisUrl, 'vigil-bench-cleanup');
  try {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', () => resolve());
      redis.once('error', reject);
    });
    const pattern = `${dedupKeys(tenantGlob, '').window}*`;
    let cursor = '0';
    let removed = 0;
    // Bounded: a SCAN pass visits every key once; each round removes what it found.
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
    return removed;
  } finally {
    redis.disconnect();
  }
}
