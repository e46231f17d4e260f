import { createHash } from 'node:crypto';
import type { StoredDeadLetter } from './dlq-reader.ts';

interface BytesView {
  readonly bytes: number;
  readonly sha256: string;
  readonly base64?: string;
  readonly text?: string;
}

function bytesView(value: Buffer, raw: boolean): BytesView {
  const summary = { bytes: value.length, sha256: createHash('sha256').update(value).digest('hex') };
  if (!raw) return summary;
  const text = value.toString('utf8');
  // Text only when the bytes are valid UTF-8 and printable; Avro is mostly neither.
  const printable = Buffer.from(text, 'utf8').equals(value) && [...text].every((c) => c >= ' ' || c === '\n' || c === '\r' || c === '\t');
  return { ...summary, base64: value.toString('base64'), ...(printable ? { text } : {}) };
}

/**
 * One dead letter for a human. The payload is an alert of some tenant: it is shown
 * only as size and hash unless the operator asks for it (`raw`), so a pasted `show`
 * output leaks nothing by default. Headers and key are routing metadata and shown.
 */
export function describeDeadLetter(letter: StoredDeadLetter, options: { raw: boolean }): Record<string, unknown> {
  const { envelope } = letter;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(envelope.headers)) headers[name] = Array.isArray(value) ? value.map((v) => v.toString('utf8')) : value.toString('utf8');
  return {
    stage: letter.stage,
    dlq: { topic: letter.dlqTopic, partition: letter.position.partition, offset: letter.position.offset },
    source: envelope.source,
    error: envelope.error,
    attempts: envelope.attempts,
    time: envelope.time,
    key: envelope.key === null ? null : envelope.key.toString('utf8'),
    headers,
    value: envelope.value === null ? null : { ...bytesView(envelope.value, options.raw), ...(options.raw ? {} : { redacted: true }) },
  };
}
