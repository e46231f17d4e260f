import { guarded, type RedisClient } from '@vigil/redis';

/**
 * Every dead letter replayed so far (ids from `deadLetterId`, dlq-position.ts), scored by
 * when it was marked. The replay job checks it before sending and adds to it after the
 * send was acknowledged, so replaying the same selection again sends nothing twice.
 * A sorted set rather than a set so entries can expire: once a dead letter has aged out
 * of its DLQ topic nobody can select it again, and the ledger would otherwise grow for
 * ever.
 */
export const REPLAY_LEDGER_KEY = 'vigil:dlq:replayed:v2';

/** Which dead letters were replayed already; the replay job reads and marks it (dlq-replay.ts). */
export interface ReplayLedger {
  replayed(ids: readonly string[]): Promise<ReadonlySet<string>>;
  markReplayed(ids: readonly string[]): Promise<void>;
}

export interface ReplayLedgerOptions {
  /** How long an entry must outlive its mark: at least the longest DLQ retention. */
  readonly keepMs: number;
  readonly now?: () => number;
}

export function createReplayLedger(client: RedisClient, options: ReplayLedgerOptions): ReplayLedger {
  const now = options.now ?? Date.now;
  return {
    async replayed(ids) {
      if (ids.length === 0) return new Set();
      const scores = await guarded(() => client.zmscore(REPLAY_LEDGER_KEY, ...ids));
      return new Set(ids.filter((_, i) => scores[i] !== null));
    },
    async markReplayed(ids) {
      if (ids.length === 0) return;
      const at = now();
      await guarded(async () => {
        const results = await client
          .multi()
          .zadd(REPLAY_LEDGER_KEY, ...ids.flatMap((id) => [at, id]))
          .zremrangebyscore(REPLAY_LEDGER_KEY, '-inf', at - options.keepMs)
          .exec();
        const failed = results?.find(([err]) => err !== null)?.[0];
        if (!results || failed) throw failed ?? new Error('replay ledger transaction aborted');
      });
    },
  };
}

/**
 * A ledger entry must outlive the dead letter it names; a day on top of the longest DLQ
 * retention covers a replay that started just before the letter aged out.
 */
export function ledgerKeepMs(stages: Readonly<Record<string, { readonly dlq: { readonly retentionMs: number } }>>): number {
  return Math.max(...Object.values(stages).map((s) => s.dlq.retentionMs)) + 24 * 60 * 60 * 1000;
}
