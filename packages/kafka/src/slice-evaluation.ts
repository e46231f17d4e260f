import type { KafkaMessage } from 'kafkajs';
import { decideFailure, type FailureContext } from './failure-classes.ts';
import { handleIsolating } from './handler-isolation.ts';
import { fail, type InputRecord, type Outcome } from './outcome.ts';
import { decodeMessage, inputRecordOf } from './record-decoding.ts';
import type { Codec } from './schema-registry.ts';
import type { StageHandler } from './stage-handler.ts';

/**
 * One outcome per record of the slice's usable prefix: decoded, then handled. A record
 * whose decoding must be retried (registry down, an unknown schema id within its grace)
 * blocks the slice there; records after it cannot be committed in this pass, so they are
 * not handled yet. Records dead-lettered now block nothing.
 */
export async function evaluateSlice(codec: Codec, handlers: { readonly joined: StageHandler; readonly single: StageHandler }, topic: string, partition: number, messages: readonly KafkaMessage[], ctx: FailureContext, clock: () => number): Promise<Outcome[]> {
  const decoded = await Promise.all(messages.map((m) => decodeMessage(codec, m)));
  const blockedAt = decoded.findIndex((d, i) => !d.ok && decideFailure(d.error, i === 0 ? ctx : { ...ctx, attempt: 1, failingSince: ctx.now }).action !== 'dead-letter');
  const usable = blockedAt === -1 ? decoded.length : blockedAt + 1;
  const ready: InputRecord[] = [];
  for (let i = 0; i < usable; i++) {
    const d = decoded[i]!;
    if (d.ok) ready.push(inputRecordOf(topic, partition, messages[i]!, d.value));
  }
  const results = ready.length > 0 ? await handleIsolating(handlers.single, ready, clock, handlers.joined) : [];
  let next = 0;
  return decoded.slice(0, usable).map((d) => (d.ok ? results[next++]! : fail(d.error)));
}
