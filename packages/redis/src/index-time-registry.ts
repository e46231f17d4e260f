import { guarded, redisFailure, type RedisClient } from './redis-client.ts';

/** An alert id and the event time it would be indexed by if it were new. */
export interface IndexTimeClaim {
  readonly tenantId: string;
  readonly alertId: string;
  readonly eventTime: number;
}

/**
 * Remembers, per alert id, the event time its document was first indexed by, so a
 * sensor's re-send of the same id with a later event time merges into the same daily
 * index instead of creating a second document in another (I1). The first claim wins:
 * `SET NX GET` is one atomic command, so an alert and a duplicate notice of the same
 * id on two workers agree, and a redelivery gets the same answer again.
 */
export interface IndexTimeRegistry {
  /** The recorded (first) event time of each claim, in order; records the claim's own when none is. */
  claimMany(claims: readonly IndexTimeClaim[]): Promise<number[]>;
}

// The tenant is a hash tag like the other per-tenant keys, so a tenant can be purged by prefix.
export const indexTimeKey = (tenantId: string, alertId: string) => `vigil:index-time:{${tenantId}}:${alertId}`;

function recordedTime(reply: unknown, proposed: number): number {
  if (reply === null) return proposed;
  const value = typeof reply === 'string' && /^-?\d+$/.test(reply) ? Number(reply) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new Error(`index-time registry holds a bad value: ${String(reply)}`);
  return value;
}

/**
 * `ttlMs` should be the alert indices' retention: once the first document's index is
 * dropped, a re-send may start a new one (there is then no other document to double).
 */
export function createIndexTimeRegistry(client: RedisClient, options: { readonly ttlMs: number }): IndexTimeRegistry {
  return {
    async claimMany(claims) {
      if (claims.length === 0) return [];
      const pipeline = client.pipeline();
      for (const c of claims) pipeline.call('SET', indexTimeKey(c.tenantId, c.alertId), String(c.eventTime), 'PX', String(options.ttlMs), 'NX', 'GET');
      const replies = await guarded(async () => (await pipeline.exec()) ?? []);
      return claims.map((c, i) => {
        const [err, reply] = replies[i] ?? [new Error('no reply'), null];
        if (err) throw redisFailure(err);
        try {
          return recordedTime(reply, c.eventTime);
        } catch (error) {
          throw redisFailure(error);
        }
      });
    },
  };
}
