import type { Kafka } from '@vigil/kafka';
import type { StageSpec } from '@vigil/contracts';
import { fromDeadLetter, readTopicSnapshot, type DeadLetterEnvelope } from '@vigil/kafka';
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

/** Every dead letter of a stage right now, in log order. */
export async function readDeadLetters(kafka: Kafka, stage: StageSpec): Promise<StoredDeadLetter[]> {
  const records = await readTopicSnapshot(kafka, stage.dlq.name);
  return records.map((record) => {
    const position = { partition: record.partition, offset: record.offset };
    const envelope = fromDeadLetter(record);
    return { stage: stage.name, dlqTopic: stage.dlq.name, position, id: deadLetterId(stage.name, position, envelope), envelope };
  });
}

export function findDeadLetter(letters: readonly StoredDeadLetter[], position: DlqPosition): StoredDeadLetter | undefined {
  const wanted = formatPosition(position);
  return letters.find((l) => formatPosition(l.position) === wanted);
}
