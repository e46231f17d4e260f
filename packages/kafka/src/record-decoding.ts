import type { KafkaMessage } from 'kafkajs';
import type { SourceRecord } from './dead-letter.ts';
import type { InputRecord } from './outcome.ts';
import type { Codec } from './schema-registry.ts';

export type Decoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
}

/** The record as it came, for a dead letter that keeps the original bytes. */
export function sourceOf(topic: string, partition: number, message: KafkaMessage): SourceRecord {
  return { topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} };
}

/** Decoding never throws: a failure is a value, decided on like any other record failure. */
export async function decodeMessage(codec: Codec, message: KafkaMessage): Promise<Decoded> {
  try {
    return { ok: true, value: await codec.decode(message.value) };
  } catch (error) {
    return { ok: false, error };
  }
}

export function inputRecordOf(topic: string, partition: number, message: KafkaMessage, value: unknown): InputRecord {
  return { topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value, headers: headersOf(message), timestamp: Number(message.timestamp) };
}
