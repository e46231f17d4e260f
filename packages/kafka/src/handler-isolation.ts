import { deferred, fail, type InputRecord, type Outcome } from './outcome.ts';
import type { StageHandler } from './stage-handler.ts';

async function handleOnce(handler: StageHandler, records: readonly InputRecord[], clock: () => number): Promise<readonly Outcome[]> {
  const results = await handler.handle(records, clock());
  if (results.length !== records.length) throw new Error(`handler returned ${results.length} outcomes for ${records.length} records`);
  return results;
}

/**
 * A handler that throws says nothing about which record made it throw; blaming the
 * first one would dead-letter an innocent record. So the slice is handled again one
 * record at a time, in order (handlers are idempotent): the record whose call throws
 * fails, and the ones behind it wait, untried, as `deferred`. `first` takes the first
 * try (the runtime's coalescing handler, which may join other partitions' records in
 * it); the records are then isolated on `handler` alone.
 */
export async function handleIsolating(handler: StageHandler, records: readonly InputRecord[], clock: () => number, first: StageHandler = handler): Promise<readonly Outcome[]> {
  try {
    return await handleOnce(first, records, clock);
  } catch (error) {
    if (records.length === 1) return [fail(error)];
  }
  const outcomes: Outcome[] = [];
  for (const record of records) {
    if (outcomes.some((o) => o.kind === 'fail')) {
      outcomes.push(deferred());
      continue;
    }
    try {
      outcomes.push(...(await handleOnce(handler, [record], clock)));
    } catch (error) {
      outcomes.push(fail(error));
    }
  }
  return outcomes;
}
