import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { TopicSpec } from '@vigil/contracts';
import { VigilError, dependencyUnavailable, isVigilError, kafkaRefusal } from '@vigil/errors';
import { DEFAULT_MESSAGE_MAX_BYTES, chunkBySize, recordBytes, requestBudget } from './record-size.ts';
import type { Codec } from './schema-registry.ts';

export interface OutgoingRecord {
  readonly topic: TopicSpec;
  readonly key: string;
  readonly value: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A header as Kafka carries it: a key that occurs several times arrives as a list. */
export type HeaderValue = Buffer | string | readonly (Buffer | string)[];

export interface RawRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, HeaderValue>>;
}

export interface RecordProducer {
  connect(): Promise<void>;
  /** Encode and send; resolves only once every broker in the ISR acknowledged (acks=all). */
  send(records: readonly OutgoingRecord[]): Promise<void>;
  /** Send records whose bytes are already final (dead letters, replays). */
  sendRaw(records: readonly RawRecord[]): Promise<void>;
  /** The broker's `message.max.bytes` (read at connect): no single record may exceed it. */
  maxMessageBytes(): number;
  disconnect(): Promise<void>;
}

interface Message {
  key: Buffer | string | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[]>;
}

function messageHeaders(headers: Readonly<Record<string, HeaderValue>> | undefined): Message['headers'] {
  const out: Message['headers'] = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name] = Array.isArray(value) ? [...(value as readonly (Buffer | string)[])] : (value as Buffer | string);
  return out;
}

/**
 * Idempotent producer with acks=all: a retried send after a lost ack does not write the
 * record twice, and a resolved send means the record is durable. The partitioner is
 * named explicitly (Java-compatible murmur2) so a replayed key lands where the
 * original did, and kafkajs stops warning about its changed default.
 */
export function createRecordProducer(kafka: Kafka, codec: Codec): RecordProducer {
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });

  let messageMaxBytes = DEFAULT_MESSAGE_MAX_BYTES;
  // kafkajs' ConfigResourceTypes.BROKER; the enum is not visible to Node's ESM loader
  // through kafkajs' CommonJS exports.
  const BROKER_RESOURCE = 4;

  /** Read the limit once; the smallest over all brokers, since any may lead a partition. */
  async function readMessageMaxBytes(): Promise<void> {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: brokers.map((b) => ({ type: BROKER_RESOURCE, name: String(b.nodeId), configNames: ['message.max.bytes'] })),
      });
      const values = described.resources.flatMap((r) => r.configEntries.filter((e) => e.configName === 'message.max.bytes').map((e) => Number(e.configValue)));
      const valid = values.filter((v) => Number.isSafeInteger(v) && v > 0);
      if (valid.length > 0) messageMaxBytes = Math.min(...valid);
    } catch {
      // A broker that does not answer describeConfigs (some Kafka-compatible brokers)
      // keeps Kafka's default; a refusal is still handled per record.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async function sendRequest(messages: readonly (Message & { topic: string })[]): Promise<void> {
    const groups = new Map<string, Message[]>();
    for (const { topic, ...message } of messages) {
      const list = groups.get(topic) ?? [];
      list.push(message);
      groups.set(topic, list);
    }
    try {
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...groups].map(([topic, list]) => ({ topic, messages: list })),
      });
    } catch (err) {
      if (isVigilError(err)) throw err;
      // Non-retriable refusals belong to the records, not to the broker: poison, not an outage.
      const refusal = kafkaRefusal(err);
      if (refusal) throw new VigilError(refusal.kind === 'too-large' ? 'OUTPUT_TOO_LARGE' : 'OUTPUT_REFUSED', `kafka refused the records: ${refusal.type}`, {}, { cause: err });
      throw dependencyUnavailable('kafka', err);
    }
  }

  /**
   * Send in order, in requests that fit the broker's limit. A record too large on its own
   * fails the call before anything is sent, so a caller that then isolates it by sending
   * record by record writes no record twice.
   */
  async function sendSized(messages: readonly (Message & { topic: string })[]): Promise<void> {
    if (messages.length === 0) return;
    const { chunks, oversized } = chunkBySize(messages, requestBudget(messageMaxBytes));
    if (oversized.length > 0) {
      const first = messages[oversized[0]!]!;
      throw new VigilError('OUTPUT_TOO_LARGE', `a record for ${first.topic} takes about ${recordBytes(first)} bytes; the broker accepts at most ${messageMaxBytes} per message`);
    }
    for (const chunk of chunks) await sendRequest(chunk);
  }

  return {
    async connect() {
      await producer.connect();
      await readMessageMaxBytes();
    },
    maxMessageBytes: () => messageMaxBytes,
    disconnect: () => producer.disconnect(),

    async send(records) {
      const messages: (Message & { topic: string })[] = [];
      for (const record of records) messages.push({ topic: record.topic.name, key: record.key, value: await codec.encode(record.topic, record.value), headers: messageHeaders(record.headers) });
      await sendSized(messages);
    },

    async sendRaw(records) {
      await sendSized(records.map((record) => ({ topic: record.topic, key: record.key, value: record.value, headers: messageHeaders(record.headers) })));
    },
  };
}
