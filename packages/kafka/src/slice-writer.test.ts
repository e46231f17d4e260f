import { describe, expect, it } from 'vitest';
import { topics } from '@vigil/contracts';
import { VigilError, dependencyUnavailable } from '@vigil/errors';
import { done, fail } from './outcome.ts';
import type { OutgoingRecord, RawRecord, RecordProducer } from './producer.ts';
import { planSlice } from './slice-plan.ts';
import { writeSlice } from './slice-writer.ts';

const firstTry = { attempt: 1, maxAttempts: 5, failingSince: 0, now: 0, schemaGraceMs: 0 };
const out = (value: string): OutgoingRecord => ({ topic: topics.alerts, key: value, value });

/** A producer whose schema refuses values starting with `bad` and whose broker refuses those starting with `huge`. */
function producer(options: { brokerDown?: boolean; maxMessageBytes?: number } = {}) {
  const sent: string[] = [];
  const raw: RawRecord[] = [];
  const p: RecordProducer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (records) => {
      if (options.brokerDown) throw dependencyUnavailable('kafka', new Error('down'));
      if (records.some((r) => String(r.value).startsWith('bad'))) throw new VigilError('RECORD_REJECTED', 'does not match the schema');
      if (records.some((r) => String(r.value).startsWith('huge'))) throw new VigilError('OUTPUT_TOO_LARGE', 'larger than the broker takes');
      sent.push(...records.map((r) => String(r.value)));
    },
    sendRaw: async (records) => {
      raw.push(...records);
    },
    maxMessageBytes: () => options.maxMessageBytes ?? 1_048_588,
  };
  return { p, sent, raw };
}

const asDeadLetter = (d: { index: number; code: string }): RawRecord => ({ topic: 'dlq', key: null, value: Buffer.from(String(d.index)), headers: { code: d.code } });

describe('writeSlice', () => {
  it('sends outputs, then the dead letters the plan has', async () => {
    const { p, sent, raw } = producer();
    const plan = planSlice([done([out('a')]), fail(new VigilError('RECORD_UNDECODABLE', 'x')), done([out('b')])], firstTry);
    const dead = await writeSlice(p, plan, asDeadLetter);
    expect(sent).toEqual(['a', 'b']);
    expect(dead.map((d) => d.index)).toEqual([1]);
    expect(raw.map((r) => r.value?.toString())).toEqual(['1']);
  });

  it('dead-letters the one record whose output the schema refuses, and sends the others', async () => {
    const { p, sent, raw } = producer();
    const plan = planSlice([done([out('a')]), done([out('bad-1'), out('c')]), done([out('d')])], firstTry);
    const dead = await writeSlice(p, plan, asDeadLetter);
    expect(sent).toEqual(['a', 'd']);
    expect(dead).toEqual([{ index: 1, code: 'RECORD_REJECTED', message: 'output refused: does not match the schema' }]);
    expect(raw.map((r) => r.headers['code'])).toEqual(['RECORD_REJECTED']);
  });

  it('throws on a dependency failure and writes no dead letters', async () => {
    const { p, raw } = producer({ brokerDown: true });
    const plan = planSlice([done([out('a')]), fail(new VigilError('RECORD_UNDECODABLE', 'x'))], firstTry);
    await expect(writeSlice(p, plan, asDeadLetter)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(raw).toEqual([]);
  });

  it('dead-letters the record whose output is too large for the broker, and sends the others once', async () => {
    const { p, sent } = producer();
    const plan = planSlice([done([out('a')]), done([out('huge-1')]), done([out('c')])], firstTry);
    const dead = await writeSlice(p, plan, asDeadLetter);
    expect(sent).toEqual(['a', 'c']);
    expect(dead.map((d) => [d.index, d.code])).toEqual([[1, 'OUTPUT_TOO_LARGE']]);
  });

  it('sends a dead letter too large for the broker as a trimmed envelope', async () => {
    const { p, raw } = producer({ maxMessageBytes: 2_000 });
    const plan = planSlice([fail(new VigilError('RECORD_UNDECODABLE', 'x'))], firstTry);
    const bigLetter = (d: { index: number; code: string }): RawRecord => ({ topic: 'dlq', key: null, value: Buffer.alloc(5_000), headers: { 'vigil.dlq.error.code': d.code } });
    await writeSlice(p, plan, bigLetter);
    expect(raw).toHaveLength(1);
    expect(raw[0]!.value).toBeNull();
    expect(raw[0]!.headers['vigil.dlq.value.bytes']).toBe('5000');
    expect(raw[0]!.headers['vigil.dlq.error.code']).toBe('RECORD_UNDECODABLE');
  });
});
