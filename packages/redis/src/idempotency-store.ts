import { defineScript, callScript } from './lua-scripts.ts';
import { guarded, type RedisClient } from './redis-client.ts';

export type ClaimResult =
  | { readonly kind: 'new' }
  | { readonly kind: 'in_flight' }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'done'; readonly status: number; readonly body: string };

export interface IdempotencyStore {
  claim(tenant: string, key: string, payloadHash: string): Promise<ClaimResult>;
  store(tenant: string, key: string, payloadHash: string, status: number, body: string): Promise<void>;
  release(tenant: string, key: string, payloadHash: string): Promise<void>;
}

export interface IdempotencySettings {
  /** How long a finished response is replayed. */
  readonly ttlMs: number;
  /** How long a claim without a response blocks retries (a crashed gateway's claim expires). */
  readonly pendingTtlMs: number;
}

// The tenant sits in a hash tag so all of one tenant's keys share a cluster slot.
const keyOf = (tenant: string, key: string) => `vigil:idem:{${tenant}}:${key}`;

export function createIdempotencyStore(client: RedisClient, settings: IdempotencySettings): IdempotencyStore {
  defineScript(client, 'vigilIdemBegin', 'idempotency-begin.lua', 1);
  defineScript(client, 'vigilIdemFinish', 'idempotency-finish.lua', 1);
  return {
    async claim(tenant, key, payloadHash) {
      const reply = await guarded(() => callScript<string[]>(client, 'vigilIdemBegin', [keyOf(tenant, key)], [payloadHash, settings.pendingTtlMs]));
      const [kind, status, body] = reply;
      if (kind === 'done') return { kind, status: Number(status), body: body ?? '' };
      if (kind === 'new' || kind === 'in_flight' || kind === 'mismatch') return { kind };
      throw new Error(`unexpected idempotency reply ${String(kind)}`);
    },
    async store(tenant, key, payloadHash, status, body) {
      await guarded(() => callScript<number>(client, 'vigilIdemFinish', [keyOf(tenant, key)], [payloadHash, 'store', status, body, settings.ttlMs]));
    },
    async release(tenant, key, payloadHash) {
      await guarded(() => callScript<number>(client, 'vigilIdemFinish', [keyOf(tenant, key)], [payloadHash, 'release']));
    },
  };
}
