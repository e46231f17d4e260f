import { classify } from './outcome.ts';
import type { RawRecord, RecordProducer } from './producer.ts';
import type { DeadLetterPlan, SlicePlan } from './slice-plan.ts';

/**
 * Make a slice's outputs and dead letters durable, outputs first, and say which records
 * ended up dead-lettered.
 *
 * - A dependency failure (broker, registry, a missing DLQ topic) throws: nothing of the
 *   slice may be committed, and the caller retries or pauses.
 * - An output that can never be written (it does not match its topic's schema) would
 *   otherwise fail the whole slice forever. It is a defect of the record that produced
 *   it, so the records' outputs are then sent one record at a time and the record whose
 *   outputs are refused is dead-lettered with the refusal's code.
 */
export async function writeSlice(producer: RecordProducer, plan: SlicePlan, deadLetterOf: (plan: DeadLetterPlan) => RawRecord): Promise<readonly DeadLetterPlan[]> {
  let deadLetters = plan.deadLetters;
  try {
    await producer.send(plan.outputs.flatMap((o) => o.records));
  } catch (error) {
    if (classify(error).kind !== 'dead') throw error;
    const refused: DeadLetterPlan[] = [];
    for (const output of plan.outputs) {
      try {
        await producer.send(output.records);
      } catch (recordError) {
        const failure = classify(recordError);
        if (failure.kind !== 'dead') throw recordError;
        refused.push({ index: output.index, code: failure.code, message: `output refused: ${failure.message}` });
      }
    }
    deadLetters = [...deadLetters, ...refused].sort((a, b) => a.index - b.index);
  }
  await producer.sendRaw(deadLetters.map(deadLetterOf));
  return deadLetters;
}
