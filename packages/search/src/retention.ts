import { ALERT_INDEX_PATTERN, ALERT_INDEX_PREFIX } from './index-names.ts';
import type { SearchClient } from './search-client.ts';

const DAY = 86_400_000;
const DAILY = new RegExp(`^${ALERT_INDEX_PREFIX.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(\\d{4})\\.(\\d{2})\\.(\\d{2})$`);

/**
 * Daily alert indices whose whole day ended more than `retentionDays` before `now`.
 * Names that are not exactly a daily alert index are never selected.
 */
export function expiredAlertIndices(names: readonly string[], retentionDays: number, now: number): string[] {
  if (retentionDays <= 0) return [];
  const cutoff = now - retentionDays * DAY;
  return names.filter((name) => {
    const m = DAILY.exec(name);
    if (!m) return false;
    const dayEnd = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + DAY;
    return Number.isFinite(dayEnd) && dayEnd <= cutoff;
  }).sort();
}

/** Delete whole expired alert indices (retention without ISM); answers the names deleted. */
export async function deleteExpiredAlertIndices(client: SearchClient, retentionDays: number, now: number): Promise<string[]> {
  const response = await client.cat.indices({ index: ALERT_INDEX_PATTERN, format: 'json', h: 'index', expand_wildcards: 'all' });
  const names = (response.body as unknown as Array<{ index: string }>).map((r) => r.index);
  const expired = expiredAlertIndices(names, retentionDays, now);
  // One name per call: a wildcard or a list can never widen what is deleted.
  for (const index of expired) await client.indices.delete({ index, ignore_unavailable: true });
  return expired;
}
