import type { StageSpec } from '@vigil/contracts';
import { originalHeaders, type Kafka, type RawRecord, type RecordProducer } from '@vigil/kafka';
import { formatPosition } from './dlq-position.ts';
import { readDeadLetters, type StoredDeadLetter } from './dlq-reader.ts';
import { isReplayable } from './dlq-selection.ts';

/** Names the dead letter a replayed record came from: `<dlq topic>:<partition>:<offset>`. */
export const REPLAY_OF_HEADER = 'vigil.replay.of';

import type { ReplayLedger } from './replay-ledger.ts';

export interface ReplayProgress {
  readonly total: number;
  readonly sent: number;
  readonly skipped: number;
  readonly missing: number;
  /** Trimmed letters (original bytes gone): never sent. */
  readonly notReplayable: number;
}

/** The record as its producer sent it: original key, value and headers, plus where it was. */
export function toReplayRecord(letter: StoredDeadLetter): RawRecord {
  const { envelope } = letter;
  return {
    topic: envelope.source.topic,
    key: envelope.key,
    value: envelope.value,
    headers: { ...originalHeaders(envelope.headers), [REPLAY_OF_HEADER]: `${letter.dlqTopic}:${formatPosition(letter.position)}` },
  };
}

export interface ReplayRequest {
  readonly kafka: Kafka;
  readonly producer: RecordProducer;
  readonly stage: StageSpec;
  /** Ids (`deadLetterId`) of the dead letters to replay, as the selection resolved them. */
  readonly letters: readonly string[];
  readonly ledger: ReplayLedger;
  readonly onProgress?: (progress: ReplayProgress) => Promise<void> | void;
  readonly chunkSize?: number;
}

/**
 * Send dead letters back to their source topics, chunk by chunk: skip what the ledger
 * lists, send the rest (acks=all), then record them in the ledger. A crash between the
 * send and the ledger write re-sends that chunk next time; that is safe because every
 * stage is idempotent by record id, while the opposite order could lose a record.
 */
export async function replayDeadLetters(request: ReplayRequest): Promise<ReplayProgress> {
  const { stage, ledger, producer } = request;
  const letters = await readDeadLetters(request.kafka, stage);
  // By id, not position: a position that now holds a different letter (the topic was
  // recreated since the selection) counts as missing rather than replaying the wrong one.
  const byId = new Map(letters.map((l) => [l.id, l]));
  const wanted = [...new Set(request.letters)];
  const present = wanted.map((id) => byId.get(id)).filter((l): l is StoredDeadLetter => l !== undefined);
  // The selection leaves trimmed letters out; a job submitted another way must not send
  // an empty value in place of the original record either.
  const found = present.filter(isReplayable);
  const progress = { total: wanted.length, sent: 0, skipped: 0, missing: wanted.length - present.length, notReplayable: present.length - found.length };
  const chunkSize = request.chunkSize ?? 200;
  for (let i = 0; i < found.length; i += chunkSize) {
    const chunk = found.slice(i, i + chunkSize);
    const done = await ledger.replayed(chunk.map((l) => l.id));
    const fresh = chunk.filter((l) => !done.has(l.id));
    await producer.sendRaw(fresh.map(toReplayRecord));
    await ledger.markReplayed(fresh.map((l) => l.id));
    progress.sent += fresh.length;
    progress.skipped += chunk.length - fresh.length;
    await request.onProgress?.({ ...progress });
  }
  return { ...progress };
}
