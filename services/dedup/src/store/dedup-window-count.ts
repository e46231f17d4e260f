import { dedupWindowPattern, tenantOfWindowKey } from './dedup-keys.ts';
import { guarded, type RedisClient } from '@vigil/redis';

export interface WindowCount {
  /** Window keys per tenant. */
  readonly byTenant: ReadonlyMap<string, number>;
  /** The scan stopped at `maxKeys` keys looked at: counts are a lower bound. */
  readonly truncated: boolean;
}

export interface WindowCountOptions {
  /** Count only this tenant's windows (the scan then only returns its keys). */
  readonly tenant?: string;
  /** SCAN COUNT: keyspace slots visited per round trip. */
  readonly batch?: number;
  /**
   * Stop after this many keys returned by the scan (window keys, plus `:closed`
   * companions): the count is then a lower bound and `truncated` is set.
   */
  readonly maxKeys?: number;
}

/**
 * Count live dedup windows with an incremental SCAN: never blocks Redis, and costs
 * one round trip per `batch` slots of the whole keyspace (SCAN visits every key, MATCH
 * only filters what comes back). Meant to be sampled every few tens of seconds. Only
 * window keys (and `:closed` companions) match, so other keys, including the two
 * companions every fingerprint has, never use up `maxKeys`; with `tenant`, nothing of
 * another tenant does either, so a tenant's count is exact unless it alone has more.
 */
export async function countDedupWindows(client: RedisClient, options: WindowCountOptions = {}): Promise<WindowCount> {
  const batch = options.batch ?? 1000;
  const maxKeys = options.maxKeys ?? 1_000_000;
  const pattern = dedupWindowPattern(options.tenant);
  const byTenant = new Map<string, number>();
  let cursor = '0';
  let looked = 0;
  do {
    const [next, keys] = await guarded(() => client.scan(cursor, 'MATCH', pattern, 'COUNT', batch));
    cursor = next;
    looked += keys.length;
    for (const key of keys) {
      const tenant = tenantOfWindowKey(key);
      if (tenant !== null && (options.tenant === undefined || tenant === options.tenant)) byTenant.set(tenant, (byTenant.get(tenant) ?? 0) + 1);
    }
  } while (cursor !== '0' && looked < maxKeys);
  return { byTenant, truncated: cursor !== '0' };
}
