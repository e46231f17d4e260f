import { dedupKeys } from './dedup-keys.ts';
import { callScript, defineScript } from './lua-scripts.ts';
import { VigilError } from '@vigil/errors';
import { guarded, redisFailure, type RedisClient } from './redis-client.ts';

/** One alert to decide, and the settings in force for it. Times are epoch ms. */
export interface DedupStepInput {
  readonly tenantId: string;
  readonly fingerprint: string;
  readonly alertId: string;
  readonly eventTime: number;
  readonly windowMs: number;
  readonly latenessMs: number;
  /** The worker's clock: the only notion of "now" the decision uses. */
  readonly now: number;
}

/**
 * What lua/dedup-step.lua decides (see its header). `replay`: the alert id was decided
 * before and this is the recorded decision again; nothing was counted.
 */
export type DedupDecision =
  | { readonly kind: 'canonical'; readonly replay: boolean }
  | { readonly kind: 'late'; readonly replay: boolean }
  | {
      readonly kind: 'duplicate';
      readonly replay: boolean;
      readonly canonicalId: string;
      readonly canonicalEventTime: number;
      readonly count: number;
      readonly firstSeen: number;
      readonly lastSeen: number;
    };

export interface DedupStore {
  /** One atomic script call. An outage throws DEPENDENCY_UNAVAILABLE; a script error or a bad reply STORE_OPERATION_FAILED. */
  step(input: DedupStepInput): Promise<DedupDecision>;
  /**
   * Many script calls in one round trip, executed by Redis strictly in the given order.
   * Each entry is the decision or the error of that call; after the first error the
   * caller must not use later decisions (they may depend on the failed one).
   */
  stepMany(inputs: readonly DedupStepInput[]): Promise<Array<DedupDecision | Error>>;
}

const COMMAND = 'vigilDedupStep';

function integer(text: unknown, what: string): number {
  const value = typeof text === 'string' && /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new Error(`dedup-step returned a bad ${what}: ${String(text)}`);
  return value;
}

/** Parse the script's reply; anything unexpected is a bug, reported loudly. */
export function decodeDedupReply(reply: unknown): DedupDecision {
  if (!Array.isArray(reply) || reply.length < 2) throw new Error(`dedup-step returned ${JSON.stringify(reply)}`);
  const [kind, replayFlag, canonicalId, ct, n, first, last] = reply as unknown[];
  const replay = replayFlag === '1';
  if (kind === 'canonical' || kind === 'late') return { kind, replay };
  if (kind !== 'duplicate' || typeof canonicalId !== 'string' || canonicalId === '') throw new Error(`dedup-step returned ${JSON.stringify(reply)}`);
  return {
    kind,
    replay,
    canonicalId,
    canonicalEventTime: integer(ct, 'canonical event time'),
    count: integer(n, 'count'),
    firstSeen: integer(first, 'first seen'),
    lastSeen: integer(last, 'last seen'),
  };
}

/**
 * A reply that does not parse is a script bug: retried a few times, then the record goes
 * to the DLQ with STORE_OPERATION_FAILED; never dropped silently, never an endless pause.
 */
function decodeReply(reply: unknown): DedupDecision {
  try {
    return decodeDedupReply(reply);
  } catch (err) {
    throw new VigilError('STORE_OPERATION_FAILED', err instanceof Error ? err.message : String(err), { dependency: 'redis' }, { cause: err });
  }
}

/**
 * The dedup script bound to a client. `step` sends EVALSHA and falls back to EVAL after
 * a NOSCRIPT (Redis restarted, cache flushed); `stepMany` pipelines a slice's calls.
 */
export function createDedupStore(client: RedisClient): DedupStore {
  defineScript(client, COMMAND, 'dedup-step.lua', 4);
  const argsOf = (input: DedupStepInput): string[] => {
    const keys = dedupKeys(input.tenantId, input.fingerprint);
    return [keys.window, keys.decisions, keys.seen, keys.closed, ...[input.alertId, input.eventTime, input.windowMs, input.latenessMs, input.now].map((v) => String(v))];
  };
  return {
    async step(input) {
      const args = argsOf(input);
      const reply = await guarded(() => callScript<unknown>(client, COMMAND, args.slice(0, 4), args.slice(4)));
      return decodeReply(reply);
    },
    async stepMany(inputs) {
      if (inputs.length === 0) return [];
      // A pipeline keeps the calls in order on one connection, and ioredis makes sure the
      // script is loaded (SCRIPT EXISTS / LOAD) before sending the EVALSHAs, so a flushed
      // script cache cannot let a fallback EVAL overtake an earlier call.
      const pipeline = client.pipeline();
      const queue = pipeline as unknown as Record<string, (...args: string[]) => unknown>;
      for (const input of inputs) queue[COMMAND]!.call(pipeline, ...argsOf(input));
      const replies = await guarded(async () => (await pipeline.exec()) ?? []);
      return inputs.map((_, i): DedupDecision | Error => {
        const [err, reply] = replies[i] ?? [new Error('no reply'), null];
        if (err) return redisFailure(err);
        try {
          return decodeReply(reply);
        } catch (decodeError) {
          return decodeError as Error;
        }
      });
    },
  };
}
