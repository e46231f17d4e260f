import { allTopics, type TopicSpec } from '@vigil/contracts';
import { createCodec, createKafkaClient, createRecordProducer, readTopicSnapshot, type Kafka, type OutgoingRecord, type ReadRecord } from '@vigil/kafka';
import { createLogger } from '@vigil/logging';
import { stackEnv } from './stack-env.ts';

const logger = createLogger({ service: 'tests', level: 'error' });

export function testKafka(): Kafka {
  return createKafkaClient({ brokers: [stackEnv['KAFKA_BROKERS']!], clientId: 'vigil-tests', logger });
}

/** Produce Avro records (registry-framed) the way upstream stages do. */
export async function produce(records: readonly OutgoingRecord[]): Promise<void> {
  const codec = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
  await codec.register(allTopics);
  const producer = createRecordProducer(testKafka(), codec);
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 1000) await producer.send(records.slice(i, i + 1000));
  } finally {
    await producer.disconnect();
  }
}

/** Produce raw bytes (poison records). */
export async function produceRaw(topic: TopicSpec, records: readonly { key: string; value: Buffer }[]): Promise<void> {
  const producer = createRecordProducer(testKafka(), createCodec(stackEnv['SCHEMA_REGISTRY_URL']!));
  await producer.connect();
  try {
    await producer.sendRaw(records.map((r) => ({ topic: topic.name, key: Buffer.from(r.key), value: r.value, headers: {} })));
  } finally {
    await producer.disconnect();
  }
}

/** Everything on a topic right now, decoded when it carries Avro. */
export async function readTopic(topic: TopicSpec): Promise<(ReadRecord & { decoded: unknown })[]> {
  const records = await readTopicSnapshot(testKafka(), topic.name);
  const codec = createCodec(stackEnv['SCHEMA_REGISTRY_URL']!);
  return Promise.all(records.map(async (r) => ({ ...r, decoded: topic.schemaFile === null ? null : await codec.decode(r.value).catch(() => null) })));
}
