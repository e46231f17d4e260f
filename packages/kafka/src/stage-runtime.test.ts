import { describe, expect, it } from 'vitest';
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { topics, type StageSpec } from '@vigil/contracts';
import { VigilError, dependencyUnavailable } from '@vigil/errors';
import { createLogger } from '@vigil/logging';
import { createMetricsRegistry, type Registry } from '@vigil/metrics';
import { dlqHeader } from './dead-letter.ts';
import { done } from './outcome.ts';
import type { RawRecord, RecordProducer } from './producer.ts';
import type { Codec } from './schema-registry.ts';
import { createStageRuntime, type StageHandler } from './stage-runtime.ts';

// The runtime against a scripted consumer: each test drives eachBatch by hand. The
// real-Kafka behaviour is in tests/integration/stage-runtime.test.ts.

const stage: StageSpec = { name: 'unit', groupId: 'unit.group', inputs: [topics.alerts], dlq: topics.dlqIndexer };
const TOPIC = topics.alerts.name;

function fakeConsumer() {
  const listeners = new Map<string, (event: { payload: never }) => void>();
  const state = { eachBatch: null as ((payload: EachBatchPayload) => Promise<void>) | null, resumed: [] as string[], disconnected: false };
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (name: string, listener: (event: { payload: never }) => void) => {
      listeners.set(name, listener);
      return () => undefined;
    },
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (options: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
      state.eachBatch = options.eachBatch;
    },
    disconnect: async () => {
      state.disconnected = true;
    },
    resume: (tps: { topic: string; partitions: number[] }[]) => state.resumed.push(...tps.flatMap((tp) => tp.partitions.map((p) => `${tp.topic}:${p}`))),
  };
  const admin = { connect: async () => undefined, disconnect: async () => undefined, fetchOffsets: async () => [], fetchTopicOffsets: async () => [] };
  const kafka = { consumer: () => consumer, admin: () => admin } as unknown as Kafka;
  const emit = (name: string, payload: unknown) => listeners.get(name)?.({ payload: payload as never });
  return { kafka, state, emit };
}

function message(offset: number, value: string): KafkaMessage {
  return { offset: String(offset), key: Buffer.from(`k${offset}`), value: Buffer.from(value), headers: { trace: Buffer.from(`t${offset}`) }, timestamp: '0', attributes: 0 };
}

/** JSON "decoding"; values starting with `!` are garbage. */
const codec: Codec = {
  register: async () => undefined,
  encode: async () => Buffer.alloc(0),
  decode: async (bytes) => {
    const text = bytes?.toString() ?? '';
    if (text.startsWith('!')) throw new VigilError('RECORD_UNDECODABLE', 'garbage');
    return JSON.parse(text);
  },
  healthy: async () => true,
};

function fakeProducer(failRaw: () => Error | null = () => null) {
  const deadLetters: RawRecord[] = [];
  const producer: RecordProducer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async () => undefined,
    maxMessageBytes: () => 1_048_588,
    sendRaw: async (records) => {
      const error = failRaw();
      if (error) throw error;
      deadLetters.push(...records);
    },
  };
  return { producer, deadLetters };
}

function batchPayload(messages: KafkaMessage[], running: () => boolean = () => true) {
  const commits: string[] = [];
  let paused = false;
  const payload = {
    batch: { topic: TOPIC, partition: 0, messages, highWatermark: String(messages.length) },
    resolveOffset: () => undefined,
    heartbeat: async () => undefined,
    isRunning: running,
    isStale: () => false,
    pause: () => {
      paused = true;
      return () => undefined;
    },
    commitOffsetsIfNecessary: async (offsets?: { topics: { partitions: { offset: string }[] }[] }) => {
      commits.push(...(offsets?.topics.flatMap((t) => t.partitions.map((p) => p.offset)) ?? []));
    },
  } as unknown as EachBatchPayload;
  return { payload, commits, isPaused: () => paused };
}

async function gaugeValue(registry: Registry, name: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
}

function setup(handler: StageHandler, producer: RecordProducer, extra: { sliceSize?: number; maxAttempts?: number } = {}) {
  const fake = fakeConsumer();
  const metrics = createMetricsRegistry('unit');
  const runtime = createStageRuntime({
    stage,
    kafka: fake.kafka,
    codec,
    producer,
    handler,
    logger: createLogger({ service: 'unit', level: 'silent' }),
    metrics,
    backoff: { baseMs: 1, maxMs: 1, maxAttempts: extra.maxAttempts ?? 3 },
    sliceSize: extra.sliceSize ?? 100,
    resumeCheckMs: 60_000,
    lagSampleMs: 60_000,
  });
  return { runtime, fake, metrics };
}

const allDone: StageHandler = { healthy: async () => true, handle: async (records) => records.map(() => done()) };

describe('stage runtime', () => {
  it('dead-letters garbage with its envelope and commits past it', async () => {
    const { producer, deadLetters } = fakeProducer();
    const { runtime, fake } = setup(allDone, producer);
    await runtime.start();
    const { payload, commits } = batchPayload([message(0, '{}'), message(1, '!garbage'), message(2, '{}')]);
    await fake.state.eachBatch!(payload);
    expect(commits).toEqual(['3']);
    expect(deadLetters).toHaveLength(1);
    const letter = deadLetters[0]!;
    expect(letter.topic).toBe(topics.dlqIndexer.name);
    expect(letter.value?.toString()).toBe('!garbage');
    expect(letter.key?.toString()).toBe('k1');
    expect(letter.headers['trace']?.toString()).toBe('t1');
    expect(letter.headers[dlqHeader.sourceOffset]).toBe('1');
    expect(letter.headers[dlqHeader.errorCode]).toBe('RECORD_UNDECODABLE');
  });

  it('commits nothing while the DLQ write fails, then pauses the partition', async () => {
    const { producer } = fakeProducer(() => dependencyUnavailable('kafka', new Error('unknown topic')));
    const { runtime, fake, metrics } = setup(allDone, producer);
    const pausedEvents: unknown[] = [];
    runtime.events.on('paused', (e) => pausedEvents.push(e));
    await runtime.start();
    const { payload, commits, isPaused } = batchPayload([message(0, '{}'), message(1, '!garbage')]);
    await fake.state.eachBatch!(payload);
    expect(commits).toEqual([]);
    expect(isPaused()).toBe(true);
    expect(pausedEvents).toEqual([{ topic: TOPIC, partition: 0, offset: '0' }]);
    expect(await gaugeValue(metrics, 'vigil_stage_paused_partitions')).toBe(1);

    // The partition moves to another member: its pause is forgotten and lifted in kafkajs.
    fake.emit('consumer.group_join', { memberAssignment: { [TOPIC]: [1, 2] } });
    expect(await gaugeValue(metrics, 'vigil_stage_paused_partitions')).toBe(0);
    expect(fake.state.resumed).toEqual([`${TOPIC}:0`]);
  });

  it('commits the slice in flight when stop() begins, and handles nothing after it', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const handler: StageHandler = {
      healthy: async () => true,
      handle: async (records) => {
        await gate;
        handled.push(...records.map((r) => r.offset));
        return records.map(() => done());
      },
    };
    const { runtime, fake } = setup(handler, fakeProducer().producer, { sliceSize: 1 });
    await runtime.start();
    let running = true;
    const { payload, commits } = batchPayload([message(0, '{}'), message(1, '{}'), message(2, '{}')], () => running);
    const inFlight = fake.state.eachBatch!(payload);
    const stopping = runtime.stop().then(() => (running = false));
    release();
    await Promise.all([inFlight, stopping]);
    expect(handled).toEqual(['0']);
    expect(commits).toEqual(['1']);
  });

  it('stops for good on an out-of-range offset and on a crash kafkajs will not restart', async () => {
    const handled: number[] = [];
    const handler: StageHandler = { healthy: async () => true, handle: async (records) => (handled.push(records.length), records.map(() => done())) };
    const { runtime, fake } = setup(handler, fakeProducer().producer);
    const fatal: unknown[] = [];
    runtime.events.on('fatal', (e) => fatal.push(e));
    await runtime.start();
    expect(await runtime.ready()).toBe(true);
    fake.emit('consumer.crash', { error: new Error('broker restarting'), restart: true });
    expect(fatal).toEqual([]);

    runtime.offsetOutOfRange({ topic: TOPIC, partition: 2 });
    fake.emit('consumer.crash', { error: new Error('OffsetResetRefused'), restart: false });
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ reason: 'offset-out-of-range', topic: TOPIC, partition: 2 });
    expect(await runtime.ready()).toBe(false);
    const { payload, commits } = batchPayload([message(0, '{}')]);
    await fake.state.eachBatch!(payload);
    expect(handled).toEqual([]);
    expect(commits).toEqual([]);
  });

  it('retries an unexpected error, then dead-letters it with the attempts it took', async () => {
    const { producer, deadLetters } = fakeProducer();
    const handler: StageHandler = { healthy: async () => true, handle: async () => Promise.reject(new Error('surprise')) };
    const { runtime, fake } = setup(handler, producer, { maxAttempts: 3 });
    await runtime.start();
    const { payload, commits } = batchPayload([message(0, '{}')]);
    await fake.state.eachBatch!(payload);
    expect(commits).toEqual(['1']);
    expect(deadLetters.map((d) => [d.headers[dlqHeader.errorCode], d.headers[dlqHeader.attempts]])).toEqual([['STAGE_UNHANDLED_ERROR', '3']]);
  });
});
