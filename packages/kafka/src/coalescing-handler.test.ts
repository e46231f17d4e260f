import { describe, expect, it } from 'vitest';
import { coalescingHandler } from './coalescing-handler.ts';
import { deferred, done, fail, type InputRecord, type Outcome } from './outcome.ts';
import type { StageHandler } from './stage-handler.ts';

const record = (partition: number, offset: number): InputRecord => ({ topic: 't', partition, offset: String(offset), key: null, value: `${partition}:${offset}`, headers: {}, timestamp: 0 });
const slice = (partition: number, n: number) => Array.from({ length: n }, (_, i) => record(partition, i));
const valueOf = (r: InputRecord) => r.value as string;
const outputOf = (o: Outcome) => (o.kind === 'done' ? o.outputs?.[0]?.value : o.kind);

/** A handler that records its calls and answers each record with an output naming it. */
function recording(answer: (records: readonly InputRecord[]) => readonly Outcome[] = (rs) => rs.map((r) => done([{ topic: {} as never, key: '', value: valueOf(r) }]))) {
  const calls: string[][] = [];
  const handler: StageHandler = {
    healthy: async () => true,
    async handle(records) {
      calls.push(records.map(valueOf));
      return answer(records);
    },
  };
  return { handler, calls };
}

describe('coalescingHandler', () => {
  it('joins slices that arrive in the same turn into one call and gives each its own outcomes in order', async () => {
    const { handler, calls } = recording();
    const joined = coalescingHandler(handler, 500);
    const [a, b] = await Promise.all([joined.handle(slice(0, 2), 1), joined.handle(slice(1, 3), 2)]);
    expect(calls).toEqual([['0:0', '0:1', '1:0', '1:1', '1:2']]);
    expect(a.map(outputOf)).toEqual(['0:0', '0:1']);
    expect(b.map(outputOf)).toEqual(['1:0', '1:1', '1:2']);
  });

  it('calls separately for slices of different turns and past maxRecords', async () => {
    const { handler, calls } = recording();
    const joined = coalescingHandler(handler, 4);
    await joined.handle(slice(0, 1), 1);
    await joined.handle(slice(1, 1), 1);
    await Promise.all([joined.handle(slice(2, 3), 1), joined.handle(slice(3, 3), 1)]);
    expect(calls).toEqual([['0:0'], ['1:0'], ['2:0', '2:1', '2:2'], ['3:0', '3:1', '3:2']]);
  });

  it('rejects every caller when the joined call throws (each then isolates its own records)', async () => {
    const joined = coalescingHandler({ healthy: async () => true, handle: async () => Promise.reject(new Error('boom')) }, 500);
    const results = await Promise.allSettled([joined.handle(slice(0, 1), 1), joined.handle(slice(1, 1), 1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('hands a slice held back behind another partition\'s failure to the handler alone', async () => {
    // Like correlate: a retriable failure defers everything behind it in the call.
    const { handler, calls } = recording((rs) => {
      const failing = rs.findIndex((r) => valueOf(r) === '0:1');
      return rs.map((r, i) => (failing === -1 || i < failing ? done([{ topic: {} as never, key: '', value: valueOf(r) }]) : i === failing ? fail(new Error('retry me')) : deferred()));
    });
    const joined = coalescingHandler(handler, 500);
    const [a, b] = await Promise.all([joined.handle(slice(0, 2), 1), joined.handle(slice(1, 2), 1)]);
    expect(a.map(outputOf)).toEqual(['0:0', 'fail']);
    expect(b.map(outputOf)).toEqual(['1:0', '1:1']);
    expect(calls).toEqual([['0:0', '0:1', '1:0', '1:1'], ['1:0', '1:1']]);
  });

  it('passes the earliest time of the joined slices', async () => {
    const seen: number[] = [];
    const joined = coalescingHandler({ healthy: async () => true, handle: async (rs, now) => (seen.push(now), rs.map(() => done())) }, 500);
    await Promise.all([joined.handle(slice(0, 1), 7), joined.handle(slice(1, 1), 5)]);
    expect(seen).toEqual([5]);
  });
});
