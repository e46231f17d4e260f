import type { Logger } from '@vigil/logging';
import type { Pool } from '@vigil/postgres';

/** Rows deleted per statement: short transactions, no long lock on a busy table. */
const BATCH = 5_000;

export interface InboxRetention {
  /** Delete what is older than the retention; returns the rows removed per table. */
  pruneOnce(now: number): Promise<{ inbox: number; repeats: number }>;
  start(): void;
  stop(): void;
}

/**
 * The inbox makes redelivery a no-op (I6), so a row must outlive every copy of its record:
 * `retentionMs` must exceed the input topics' retention.ms (7 days by default; the default
 * here is 8). A duplicate parked that long waits for an alert that will not come (it was
 * dead-lettered or never produced). Without this both tables grew by every alert for ever.
 */
export function createInboxRetention(pool: Pool, consumer: string, retentionMs: number, intervalMs: number, logger: Logger): InboxRetention {
  let timer: NodeJS.Timeout | null = null;

  async function deleteOlder(sql: string, params: unknown[]): Promise<number> {
    let removed = 0;
    for (;;) {
      const deleted = (await pool.query(sql, params)).rowCount ?? 0;
      removed += deleted;
      if (deleted < BATCH) return removed;
    }
  }

  async function pruneOnce(now: number) {
    const before = new Date(now - retentionMs);
    const inbox = await deleteOlder(`DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox WHERE processed_at < $1 AND consumer = $2 LIMIT ${BATCH})`, [before, consumer]);
    const repeats = await deleteOlder(`DELETE FROM correlation_repeats WHERE ctid IN (SELECT ctid FROM correlation_repeats WHERE parked_at < $1 LIMIT ${BATCH})`, [before]);
    return { inbox, repeats };
  }

  return {
    pruneOnce,
    start() {
      timer = setInterval(() => {
        pruneOnce(Date.now())
          .then((removed) => {
            if (removed.inbox + removed.repeats > 0) logger.info(removed, 'inbox retention: old rows pruned');
          })
          .catch((err: unknown) => logger.warn({ err }, 'inbox retention failed; retried at the next interval'));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
