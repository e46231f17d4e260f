import type { Permission } from '@vigil/auth';
import { stages } from '@vigil/contracts';
import { createReplayLedger, ledgerKeepMs } from '@vigil/dead-letters';
import type { FastifyInstance } from '@vigil/http';
import type { Codec, Kafka } from '@vigil/kafka';
import type { RedisClient } from '@vigil/redis';
import { createDeadLetterSource } from './dead-letter-source.ts';
import { registerDeadLetterRoutes } from './dead-letter-routes.ts';

export interface DeadLetterSettings {
  readonly DLQ_READ_LAST: number;
  readonly DLQ_READ_MAX_BYTES: number;
  readonly DLQ_READ_TIMEOUT_MS: number;
  readonly DLQ_CACHE_MS: number;
}

/** The tenant dead-letter routes as a route family for `registerAnalystRoutes` (docs/delivery.md). */
export function deadLetterRoutes(deps: { readonly kafka: Kafka; readonly codec: Pick<Codec, 'decode'>; readonly redis: RedisClient }, settings: DeadLetterSettings): readonly [Permission, (scope: FastifyInstance) => void] {
  const source = createDeadLetterSource({
    kafka: deps.kafka,
    codec: deps.codec,
    bounds: { last: settings.DLQ_READ_LAST, maxBytes: settings.DLQ_READ_MAX_BYTES, timeoutMs: settings.DLQ_READ_TIMEOUT_MS },
    cacheMs: settings.DLQ_CACHE_MS,
  });
  const ledger = createReplayLedger(deps.redis, { keepMs: ledgerKeepMs(stages) });
  return ['dead-letters:read', (scope) => registerDeadLetterRoutes(scope, source, ledger)];
}
