import { createHash } from 'node:crypto';
import type { ErrorCode } from '@vigil/errors';
import { recordBytes } from './record-size.ts';
import type { HeaderValue, RawRecord } from './producer.ts';

/**
 * A dead letter keeps the original key, value and headers byte for byte, so a replay
 * sends exactly what the producer sent. What went wrong travels in `vigil.dlq.*`
 * headers beside them.
 */
export const dlqHeader = {
  sourceTopic: 'vigil.dlq.source.topic',
  sourcePartition: 'vigil.dlq.source.partition',
  sourceOffset: 'vigil.dlq.source.offset',
  errorCode: 'vigil.dlq.error.code',
  errorMessage: 'vigil.dlq.error.message',
  attempts: 'vigil.dlq.attempts',
  stage: 'vigil.dlq.stage',
  time: 'vigil.dlq.time',
  /** Set only on a trimmed letter: what was left out (`value`, or `value,headers`). */
  trimmed: 'vigil.dlq.trimmed',
  valueBytes: 'vigil.dlq.value.bytes',
  valueSha256: 'vigil.dlq.value.sha256',
} as const;

export const DLQ_HEADER_PREFIX = 'vigil.dlq.';

export type RecordHeaders = Readonly<Record<string, HeaderValue | undefined>>;

export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders;
}

export interface Failure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly attempts: number;
}

export interface DeadLetterEnvelope {
  readonly stage: string;
  readonly source: { topic: string; partition: number; offset: string };
  readonly error: { code: string; message: string };
  readonly attempts: number;
  readonly time: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The original headers, without the `vigil.dlq.*` ones. */
  readonly headers: Record<string, Buffer | Buffer[]>;
  /** What a trimmed letter left out (`value` or `value,headers`); absent on a whole one. */
  readonly trimmed?: string;
}

const MAX_MESSAGE = 1024;

/** The headers a record carried before any `vigil.dlq.*` were added. */
export function originalHeaders(headers: RecordHeaders): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !name.startsWith(DLQ_HEADER_PREFIX)) out[name] = value;
  return out;
}

export function toDeadLetter(dlqTopic: string, stage: string, record: SourceRecord, failure: Failure, now: number): RawRecord {
  return {
    topic: dlqTopic,
    key: record.key,
    value: record.value,
    headers: {
      ...originalHeaders(record.headers),
      [dlqHeader.sourceTopic]: record.topic,
      [dlqHeader.sourcePartition]: String(record.partition),
      [dlqHeader.sourceOffset]: record.offset,
      [dlqHeader.errorCode]: failure.code,
      [dlqHeader.errorMessage]: failure.message.slice(0, MAX_MESSAGE),
      [dlqHeader.attempts]: String(failure.attempts),
      [dlqHeader.stage]: stage,
      [dlqHeader.time]: new Date(now).toISOString(),
    },
  };
}

function text(value: HeaderValue | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? String(value[0] ?? '') : value.toString();
}

const toBuffer = (value: Buffer | string): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));

/** Read an envelope back from a DLQ record (for `vigil dlq` and tests). */
export function fromDeadLetter(record: { key: Buffer | null; value: Buffer | null; headers: RecordHeaders }): DeadLetterEnvelope {
  const h = record.headers;
  const original: Record<string, Buffer | Buffer[]> = {};
  for (const [name, value] of Object.entries(originalHeaders(h))) original[name] = Array.isArray(value) ? (value as readonly (Buffer | string)[]).map(toBuffer) : toBuffer(value as Buffer | string);
  return {
    stage: text(h[dlqHeader.stage]),
    source: { topic: text(h[dlqHeader.sourceTopic]), partition: Number(text(h[dlqHeader.sourcePartition])), offset: text(h[dlqHeader.sourceOffset]) },
    error: { code: text(h[dlqHeader.errorCode]), message: text(h[dlqHeader.errorMessage]) },
    attempts: Number(text(h[dlqHeader.attempts])),
    time: text(h[dlqHeader.time]),
    key: record.key,
    value: record.value,
    headers: original,
    ...(isTrimmed(h) ? { trimmed: text(h[dlqHeader.trimmed]) } : {}),
  };
}

/**
 * A dead letter the broker can take. The original record fitted its source topic, but
 * the envelope headers can push it past `message.max.bytes`; a letter that would not
 * fit is trimmed: the value is replaced by its size and SHA-256 (so it can still be
 * matched against the source), and if that is not enough the original headers go too.
 * The envelope itself (source position, code, attempts) is always kept.
 */
export function fitDeadLetter(letter: RawRecord, budget: number): RawRecord {
  if (recordBytes(letter) <= budget) return letter;
  const value = letter.value ?? Buffer.alloc(0);
  const digest = { [dlqHeader.valueBytes]: String(value.length), [dlqHeader.valueSha256]: createHash('sha256').update(value).digest('hex') };
  const withoutValue: RawRecord = { ...letter, value: null, headers: { ...letter.headers, ...digest, [dlqHeader.trimmed]: 'value' } };
  if (recordBytes(withoutValue) <= budget) return withoutValue;
  const envelopeOnly: Record<string, HeaderValue> = {};
  for (const [name, v] of Object.entries(letter.headers)) if (name.startsWith(DLQ_HEADER_PREFIX)) envelopeOnly[name] = v;
  return { ...letter, value: null, headers: { ...envelopeOnly, ...digest, [dlqHeader.trimmed]: 'value,headers' } };
}

/** A trimmed letter lacks the original bytes: it can be inspected, not replayed. */
export const isTrimmed = (headers: RecordHeaders): boolean => headers[dlqHeader.trimmed] !== undefined;
