import { randomUUID } from 'node:crypto';
import type { StageSpec, TopicSpec } from '@vigil/contracts';
import { createKafkaClient, createRecordProducer, createStageRuntime, ensureTopics, withAdmin, type Codec, type Kafka, type StageHandler, type StageRuntime } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { createMetricsRegistry } from '@vigil/metrics';
import { stackEnv, uniqueGroup } from './stack-env.ts';

/**
 * In-process stages on private topics (one partition each) with a handler the test
 * controls, on the real broker and registry. Private topics and groups make the tests
 * independent of whatever earlier runs left on the shared topics.
 */
export interface TestStage {
  readonly spec: StageSpec;
  readonly input: TopicSpec;
  readonly runtime: StageRuntime;
  readonly fatal: Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface TestStageOptions {
  readonly dlqExists?: boolean;
  readonly sliceSize?: number;
  /** kafkajs client retries (few: a failed write returns fast). */
  readonly retries?: number;
  readonly schemaGraceMs?: number;
}

const logger = createLogger({ service: 'test-stage', level: 'silent' });

export function privateTopic(name: string, schemaFile: string | null = 'alert.v1.avsc'): TopicSpec {
  return { name, schemaFile, key: 'test', partitions: 1, retentionMs: 3_600_000 } as TopicSpec;
}

export function testStages(kafka: Kafka, codec: Codec) {
  const created: string[] = [];
  const running: TestStage[] = [];

  /** A stage with its own input topic and (unless `dlqExists` is false) its own DLQ topic. */
  async function start(handler: StageHandler, options: TestStageOptions = {}): Promise<TestStage> {
    const id = randomUUID().slice(0, 8);
    const input = privateTopic(`test.runtime.${id}.in`);
    const dlq = privateTopic(`test.runtime.${id}.dlq`, null);
    await ensureTopics(kafka, options.dlqExists === false ? [input] : [input, dlq]);
    created.push(input.name, dlq.name);
    const spec: StageSpec = { name: `test-${id}`, groupId: uniqueGroup('runtime'), inputs: [input], dlq };
    let runtime: StageRuntime | null = null;
    // As in run-stage: the client's out-of-range hook goes to the runtime.
    const client = createKafkaClient({ brokers: [stackEnv['KAFKA_BROKERS']!], clientId: spec.name, logger, retries: options.retries ?? 8, onOffsetOutOfRange: (detail) => runtime?.offsetOutOfRange(detail) });
    const producer = createRecordProducer(client, codec);
    await producer.connect();
    runtime = createStageRuntime({
      stage: spec,
      kafka: client,
      codec,
      producer,
      handler,
      logger,
      metrics: createMetricsRegistry(spec.name),
      backoff: { baseMs: 50, maxMs: 200, maxAttempts: 3 },
      sliceSize: options.sliceSize ?? 100,
      resumeCheckMs: 200,
      ...(options.schemaGraceMs === undefined ? {} : { schemaGraceMs: options.schemaGraceMs }),
    });
    const active = runtime;
    const fatal = new Promise<Record<string, unknown>>((resolve) => active.events.once('fatal', resolve));
    let stopped = false;
    const stage: TestStage = {
      spec,
      input,
      runtime: active,
      fatal,
      async stop() {
        if (stopped) return;
        stopped = true;
        await active.stop();
        await producer.disconnect();
      },
    };
    running.push(stage);
    return stage;
  }

  return {
    start,
    /** Remember a topic the test made itself, to delete it in `cleanUp`. */
    track: (name: string) => created.push(name),
    stopAll: async () => {
      await Promise.all(running.splice(0).map((s) => s.stop()));
    },
    async cleanUp() {
      await withAdmin(kafka, async (admin) => {
        const existing = new Set(await admin.listTopics());
        const ours = created.filter((t) => existing.has(t));
        if (ours.length > 0) await admin.deleteTopics({ topics: ours });
      });
    },
  };
}
