import type { Kafka } from '@vigil/kafka';
import type { StageSpec } from '@vigil/contracts';
import { fromDeadLetter, readTopicSnapshot, withAdmin, type DeadLetterEnvelope, type ReadRecord } from '@vigil/kafka';
import { deadLetterId, formatPosition, type DlqPosition } from './dlq-position.ts';

/** A dead letter as it sits in its stage's DLQ topic. */
export interface StoredDeadLetter {
  readonly stage: string;
  readonly dlqTopic: string;
  readonly position: DlqPosition;
  /** `stage:partition:offset:fingerprint`, the replay ledger's name for it. */
  readonly id: string;
  readonly envelope: DeadLetterEnvelope;
}

function stored(stage: StageSpec, record: ReadRecord): StoredDeadLetter {
  const position = { partition: record.partition, offset: record.offset };
  const envelope = fromDeadLetter(record);
  return { stage: stage.name, dlqTopic: stage.dlq.name, position, id: deadLetterId(stage.name, position, envelope), envelope };
}

/** Every dead letter of a stage right now, in log order. */
export async function readDeadLetters(kafka: Kafka, stage: StageSpec): Promise<StoredDeadLetter[]> {
  return (await readTopicSnapshot(kafka, stage.dlq.name)).map((record) => stored(stage, record));
}

/** Bounds for a read on behalf of a caller who must not make it unbounded (an API request). */
export interface DlqReadBounds {
  /** The newest this many letters of each partition. */
  readonly last: number;
  /** Key and value bytes held at most. */
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export interface DeadLetterWindow {
  readonly letters: StoredDeadLetter[];
  /** False when older letters were left out (`last`) or the byte cap cut the read short. */
  readonly complete: boolean;
}

/** The newest dead letters of a stage within `bounds`, in log order. */
export async function readDeadLetterWindow(kafka: Kafka, stage: StageSpec, bounds: DlqReadBounds): Promise<DeadLetterWindow> {
  const offsets = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(stage.dlq.name));
  let skipped = false;
  let expected = 0n;
  const from = new Map<number, string>();
  for (const o of offsets) {
    const [low, high] = [BigInt(o.low), BigInt(o.high)];
    const start = high - BigInt(bounds.last) > low ? high - BigInt(bounds.last) : low;
    skipped ||= start > low;
    expected += high - start;
    from.set(o.partition, start.toString());
  }
  const records = await readTopicSnapshot(kafka, stage.dlq.name, { from, maxBytes: bounds.maxBytes, timeoutMs: bounds.timeoutMs });
  // DLQ topics carry no transactions (no control records), so fewer records than offsets means the byte cap hit.
  return { letters: records.map((record) => stored(stage, record)), complete: !skipped && BigInt(records.length) >= expected };
}

export function findDeadLetter(letters: readonly StoredDeadLetter[], position: DlqPosition): StoredDeadLetter | undefined {
  const wanted = formatPosition(position);
  return letters.find((l) => formatPosition(l.position) === wanted);
}
