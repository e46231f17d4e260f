import { readFileSync } from 'node:fs';
import { VigilError } from '@vigil/errors';
import { callScript, callScriptPipelined, guarded, redisFailure, registerScript, type RedisClient } from '@vigil/redis';
import type { DedupDecision, DedupStepInput } from '../dedup-decision.ts';
import { dedupKeys } from './dedup-keys.ts';

export type { DedupDecision, DedupStepInput } from '../dedup-decision.ts';

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

// Read once at load: the script is the dedup decision, kept beside its reference model.
const script = { name: 'vigilDedupStep', numberOfKeys: 4, lua: readFileSync(new URL('./dedup-step.lua', import.meta.url), 'utf8') };

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
  registerScript(client, script);
  const argsOf = (input: DedupStepInput): string[] => {
    const keys = dedupKeys(input.tenantId, input.fingerprint);
    return [keys.window, keys.decisions, keys.seen, keys.closed, ...[input.alertId, input.eventTime, input.windowMs, input.latenessMs, input.now].map((v) => String(v))];
  };
  return {
    async step(input) {
      const args = argsOf(input);
      const reply = await guarded(() => callScript<unknown>(client, script.name, args.slice(0, 4), args.slice(4)));
      return decodeReply(reply);
    },
    async stepMany(inputs) {
      if (inputs.length === 0) return [];
      const replies = await guarded(() => callScriptPipelined(client, script.name, inputs.map(argsOf)));
      return inputs.map((_, i): DedupDecision | Error => {
        const [err, reply] = replies[i]!;
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
