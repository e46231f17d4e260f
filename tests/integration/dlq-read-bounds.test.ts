import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageSpec } from '@vigil/contracts';
import { readDeadLetterWindow } from '@vigil/dead-letters';
import { createCodec, createRecordProducer, ensureTopics, toDeadLetter, withAdmin } from '@vigil/kafka';
import { testKafka } from '../support/kafka.ts';
import { stackEnv, uniqueGroup } from '../support/stack-env.ts';
import { privateTopic } from '../support/test-stage.ts';

/**
 * The query API reads DLQs on behalf of a request, so the read must be bounded: the newest
 * N letters, a byte cap, and a flag saying when either left letters out. A private DLQ
 * topic holds six letters of 1 KiB each.
 */

const kafka = testKafka();
const dlq = privateTopic(`test.dlq-bounds.${randomUUID().slice(0, 8)}.dlq`, null);
const stage: StageSpec = { name: 'bounds', groupId: uniqueGroup('bounds'), inputs: [], dlq };
const LETTERS = 6;
const VALUE_BYTES = 1024;

beforeAll(async () => {
  await ensureTopics(kafka, [dlq]);
  const producer = createRecordProducer(kafka, createCodec(stackEnv['SCHEMA_REGISTRY_URL']!));
  await producer.connect();
  try {
    const letters = Array.from({ length: LETTERS }, (_, i) => {
      const source = { topic: 'alerts.raw.v1', partition: 0, offset: String(i), key: Buffer.from(`t|${i}`), value: Buffer.alloc(VALUE_BYTES, i), headers: {} };
      return toDeadLetter(dlq.name, stage.name, source, { code: 'RECORD_REJECTED', message: `letter ${i}`, attempts: 1 }, Date.now());
    });
    await producer.sendRaw(letters);
  } finally {
    await producer.disconnect();
  }
});

afterAll(async () => {
  await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [dlq.name] })).catch(() => undefined);
});

const messages = (letters: { envelope: { error: { message: string } } }[]) => letters.map((l) => l.envelope.error.message);
const roomy = { last: 100, maxBytes: 1 << 20, timeoutMs: 20_000 };

describe('bounded DLQ reads (readDeadLetterWindow)', () => {
  it('reads every letter when the bounds allow it, and says it is complete', async () => {
    const window = await readDeadLetterWindow(kafka, stage, roomy);
    expect(messages(window.letters)).toEqual(Array.from({ length: LETTERS }, (_, i) => `letter ${i}`));
    expect(window.complete).toBe(true);
  });

  it('reads only the newest `last` letters, and says older ones were left out', async () => {
    const window = await readDeadLetterWindow(kafka, stage, { ...roomy, last: 2 });
    expect(messages(window.letters)).toEqual(['letter 4', 'letter 5']);
    expect(window.complete).toBe(false);
  });

  it('stops at the byte cap, and says it was cut short', async () => {
    const window = await readDeadLetterWindow(kafka, stage, { ...roomy, maxBytes: 3 * VALUE_BYTES });
    expect(window.letters.length).toBeLessThan(3);
    expect(window.letters.length).toBeGreaterThan(0);
    expect(window.complete).toBe(false);
  });
});
