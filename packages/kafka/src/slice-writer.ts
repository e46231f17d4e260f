import { fitDeadLetter } from './dead-letter.ts';
import { classifyFailure } from './failure-classes.ts';
import type { RawRecord, RecordProducer } from './producer.ts';
import { requestBudget } from './record-size.ts';
import type { DeadLetterPlan, SlicePlan } from './slice-plan.ts';

const isPoison = (error: unknown) => classifyFailure(error).class === 'poison';

/**
 * Make a slice's outputs and dead letters durable, outputs first, and say which records
 * ended up dead-lettered.
 *
 * - A dependency failure (broker, registry, a missing DLQ topic) throws: nothing of the
 *   slice may be committed, and the caller retries or pauses.
 * - An output that can never be written (it does not match its topic's schema) would
 *   otherwise fail the whole slice forever. It is a defect of the record that produced
 *   it, so the records' outputs are then sent one record at a time and the record whose
 *   outputs are refused is dead-lettered with the refusal's code. The same holds for an
 *   output too large for the broker (OUTPUT_TOO_LARGE) or one it refuses (OUTPUT_REFUSED).
 *   The producer checks sizes before sending anything, so nothing is written twice then.
 * - Dead letters are sized to the broker's limit: one that would not fit goes as a
 *   trimmed envelope (`fitDeadLetter`), so a huge poison record cannot block its partition.
 */
export async function writeSlice(producer: RecordProducer, plan: SlicePlan, deadLetterOf: (plan: DeadLetterPlan) => RawRecord): Promise<readonly DeadLetterPlan[]> {
  let deadLetters = plan.deadLetters;
  try {
    await producer.send(plan.outputs.flatMap((o) => o.records));
  } catch (error) {
    if (!isPoison(error)) throw error;
    const refused: DeadLetterPlan[] = [];
    for (const output of plan.outputs) {
      try {
        await producer.send(output.records);
      } catch (recordError) {
        const failure = classifyFailure(recordError);
        if (failure.class !== 'poison') throw recordError;
        refused.push({ index: output.index, code: failure.code, message: `output refused: ${failure.message}` });
      }
    }
    deadLetters = [...deadLetters, ...refused].sort((a, b) => a.index - b.index);
  }
  const budget = requestBudget(producer.maxMessageBytes());
  const letters = deadLetters.map((d) => fitDeadLetter(deadLetterOf(d), budget));
  try {
    await producer.sendRaw(letters);
  } catch (error) {
    if (!isPoison(error)) throw error;
    // The size estimate let a letter through that the broker refused (e.g. a topic-level
    // max.message.bytes below the broker's): send one by one, and the refused one trimmed
    // down to its envelope.
    for (const letter of letters) await producer.sendRaw([letter]).catch(async (letterError: unknown) => {
      if (!isPoison(letterError)) throw letterError;
      await producer.sendRaw([fitDeadLetter(letter, 0)]);
    });
  }
  return deadLetters;
}
