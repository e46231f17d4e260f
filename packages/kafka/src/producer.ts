import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { TopicSpec } from '@vigil/contracts';
import { dependencyUnavailable, isVigilError } from '@vigil/errors';
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

  async function sendGrouped(groups: Map<string, Message[]>): Promise<void> {
    if (groups.size === 0) return;
    try {
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...groups].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      throw isVigilError(err) ? err : dependencyUnavailable('kafka', err);
    }
  }

  function add(groups: Map<string, Message[]>, topic: string, message: Message): void {
    const list = groups.get(topic) ?? [];
    list.push(message);
    groups.set(topic, list);
  }

  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),

    async send(records) {
      const groups = new Map<string, Message[]>();
      for (const record of records) add(groups, record.topic.name, { key: record.key, value: await codec.encode(record.topic, record.value), headers: messageHeaders(record.headers) });
      await sendGrouped(groups);
    },

    async sendRaw(records) {
      const groups = new Map<string, Message[]>();
      for (const record of records) add(groups, record.topic, { key: record.key, value: record.value, headers: messageHeaders(record.headers) });
      await sendGrouped(groups);
    },
  };
}
