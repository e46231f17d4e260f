import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigil/contracts';
import type { OutgoingRecord, RecordProducer } from '@vigil/kafka';
import { createPublisher, type PublisherSettings } from './publisher.ts';

const settings: PublisherSettings = { maxInFlight: 10, maxBatch: 5, lingerMs: 1, failFastMs: 1000, sendTimeoutMs: 50 };

const alert = (n: number) => ({ id: `a${n}`, tenant_id: 't', rule_id: 'r' }) as unknown as Alert;

/** A producer whose sends the test settles by hand. */
function manualProducer() {
  const sends: Array<{ records: readonly OutgoingRecord[]; ack(): void; fail(err: unknown): void }> = [];
  const producer: RecordProducer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    sendRaw: async () => undefined,
    maxMessageBytes: () => 1_048_588,
    send: (records) =>
      new Promise<void>((resolve, reject) => {
        sends.push({ records, ack: resolve, fail: reject });
      }),
  };
  return { producer, sends };
}

const settled = async (p: Promise<unknown>) => p.then(() => 'resolved', (err: { code?: string }) => err.code ?? 'rejected');
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createPublisher', () => {
  it('resolves only once Kafka acknowledged, and groups concurrent requests into one send', async () => {
    const { producer, sends } = manualProducer();
    const publisher = createPublisher(producer, settings);
    const a = publisher.publish([alert(1)]);
    const b = publisher.publish([alert(2), alert(3)]);
    await tick();
    expect(sends).toHaveLength(1);
    expect(sends[0]!.records.map((r) => r.key)).toEqual(['t|r', 't|r', 't|r']);
    let done = false;
    void a.then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    sends[0]!.ack();
    expect(await Promise.all([settled(a), settled(b)])).toEqual(['resolved', 'resolved']);
  });

  it('answers REQUEST_TIMEOUT when the ack does not come in time, then fails fast with OVERLOADED', async () => {
    let now = 0;
    const { producer } = manualProducer();
    const publisher = createPublisher(producer, settings, () => now);
    expect(await settled(publisher.publish([alert(1)]))).toBe('REQUEST_TIMEOUT');
    expect(publisher.healthy()).toBe(false);
    expect(await settled(publisher.publish([alert(2)]))).toBe('OVERLOADED');
    now += settings.failFastMs;
    expect(publisher.healthy()).toBe(true);
  });

  it('answers OVERLOADED to every request of a batch whose send failed, and recovers on the next success', async () => {
    let now = 0;
    const { producer, sends } = manualProducer();
    const publisher = createPublisher(producer, settings, () => now);
    const a = publisher.publish([alert(1)]);
    const b = publisher.publish([alert(2)]);
    await tick();
    sends[0]!.fail(new Error('broker down'));
    expect(await Promise.all([settled(a), settled(b)])).toEqual(['OVERLOADED', 'OVERLOADED']);
    now += settings.failFastMs;
    const c = publisher.publish([alert(3)]);
    await tick();
    sends[1]!.ack();
    expect(await settled(c)).toBe('resolved');
    expect(publisher.healthy()).toBe(true);
  });

  it('sheds load with OVERLOADED past maxInFlight records instead of queueing', async () => {
    const { producer, sends } = manualProducer();
    const publisher = createPublisher(producer, { ...settings, sendTimeoutMs: 10_000 });
    const held = publisher.publish(Array.from({ length: 8 }, (_, i) => alert(i)));
    await tick();
    expect(publisher.inFlight()).toBe(8);
    expect(await settled(publisher.publish([alert(9), alert(10), alert(11)]))).toBe('OVERLOADED');
    sends[0]!.ack();
    expect(await settled(held)).toBe('resolved');
    expect(publisher.inFlight()).toBe(0);
  });
});
