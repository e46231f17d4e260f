/** A header as Kafka carries it (producer.ts has the same type; not imported, to keep the import graph acyclic). */
type HeaderValue = Buffer | string | readonly (Buffer | string)[];

/**
 * Byte budgets for produce requests. The broker refuses a record batch (all records of
 * one partition in one request) larger than `message.max.bytes`, with the
 * non-retriable MESSAGE_TOO_LARGE; kafkajs puts every record of a request for one
 * partition into one batch. Keeping a whole request under the limit therefore keeps
 * every batch in it under the limit, whatever partitions the records go to.
 */

/** Kafka's default `message.max.bytes`, used only if the broker's value cannot be read. */
export const DEFAULT_MESSAGE_MAX_BYTES = 1_048_588;

/** Record batch header (61 bytes in format v2), rounded up for safety. */
const BATCH_OVERHEAD = 128;
/** Per record: length, attributes, timestamp and offset deltas, key/value lengths (varints, at most). */
const RECORD_OVERHEAD = 40;
const HEADER_OVERHEAD = 10;

export interface SizedMessage {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Readonly<Record<string, HeaderValue | undefined>>;
}

const lengthOf = (v: Buffer | string | null | undefined): number => (v === null || v === undefined ? 0 : Buffer.isBuffer(v) ? v.length : Buffer.byteLength(v));

/** An upper bound of the bytes one record takes in an uncompressed v2 record batch. */
export function recordBytes(message: SizedMessage): number {
  let bytes = RECORD_OVERHEAD + lengthOf(message.key) + lengthOf(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(value) ? (value as readonly (Buffer | string)[]) : [value as Buffer | string | undefined];
    for (const v of values) bytes += HEADER_OVERHEAD + Buffer.byteLength(name) + lengthOf(v);
  }
  return bytes;
}

/** What the records of one request may add up to under a broker limit. */
export const requestBudget = (messageMaxBytes: number): number => messageMaxBytes - BATCH_OVERHEAD;

/**
 * Cut records, in order, into consecutive requests that each fit `budget`. A record
 * that alone exceeds it is reported by index instead (the caller decides its fate).
 */
export function chunkBySize<T extends SizedMessage>(messages: readonly T[], budget: number): { readonly chunks: T[][]; readonly oversized: number[] } {
  const chunks: T[][] = [];
  const oversized: number[] = [];
  let current: T[] = [];
  let used = 0;
  messages.forEach((message, index) => {
    const bytes = recordBytes(message);
    if (bytes > budget) {
      oversized.push(index);
      return;
    }
    if (used + bytes > budget && current.length > 0) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(message);
    used += bytes;
  });
  if (current.length > 0) chunks.push(current);
  return { chunks, oversized };
}
