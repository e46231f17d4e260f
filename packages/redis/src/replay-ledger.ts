import { guarded, type RedisClient } from './redis-client.ts';

/**
 * One set of every dead letter replayed so far, as `stage:partition:offset` of its DLQ
 * record. The replay job checks it before sending and adds to it after the send was
 * acknowledged, so replaying the same selection again sends nothing twice.
 */
export const REPLAY_LEDGER_KEY = 'vigil:dlq:replayed';

export interface ReplayLedgerStore {
  replayed(ids: readonly string[]): Promise<ReadonlySet<string>>;
  markReplayed(ids: readonly string[]): Promise<void>;
}

export function createReplayLedger(client: RedisClient): ReplayLedgerStore {
  return {
    async replayed(ids) {
      if (ids.length === 0) return new Set();
      const flags = await guarded(() => client.smismember(REPLAY_LEDGER_KEY, ...ids));
      return new Set(ids.filter((_, i) => flags[i] === 1));
    },
    async markReplayed(ids) {
      if (ids.length === 0) return;
      await guarded(() => client.sadd(REPLAY_LEDGER_KEY, ...ids));
    },
  };
}
