import type { Logger } from '@vigil/logging';
import { deleteExpiredAlertIndices, type SearchClient } from '@vigil/search';

/**
 * Retention without ISM: every `intervalMs` delete the daily alert indices older than
 * the retention. Idempotent, so several query-api replicas may all run it.
 */
export function startRetention(client: SearchClient, retentionDays: number, intervalMs: number, logger: Logger): { stop(): void } {
  if (retentionDays <= 0) return { stop: () => undefined };
  const run = async () => {
    try {
      const deleted = await deleteExpiredAlertIndices(client, retentionDays, Date.now());
      if (deleted.length > 0) logger.info({ deleted, retentionDays }, 'expired alert indices deleted');
    } catch (err) {
      logger.warn({ err }, 'alert retention run failed; retried next interval');
    }
  };
  const first = setTimeout(() => void run(), 10_000);
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  first.unref();
  return { stop: () => (clearTimeout(first), clearInterval(timer)) };
}
