import type { ErrorCode } from '@vigil/errors';
import { VigilError } from '@vigil/errors';
import { exceedsDepth } from '@vigil/http';

/**
 * A batch is a JSON array or NDJSON (one record a line). Lines that are not JSON, or
 * nest deeper than the cap, do not fail the batch: they become per-record rejections
 * like any other bad record.
 */
export type BatchEntry =
  | { readonly ok: true; readonly record: unknown }
  | { readonly ok: false; readonly code: Extract<ErrorCode, 'REQUEST_BODY_INVALID_JSON' | 'REQUEST_BODY_TOO_DEEP'>; readonly message: string };

const ndjsonText = Symbol('vigil.ndjson');

/**
 * What the NDJSON content-type parser yields. A symbol key, so no JSON body (a JSON
 * string above all) can pass for NDJSON, and the single-alert route can refuse it.
 */
export interface NdjsonBody {
  readonly [ndjsonText]: string;
}

export const ndjsonBody = (text: string): NdjsonBody => ({ [ndjsonText]: text });

export function ndjsonTextOf(body: unknown): string | null {
  return body !== null && typeof body === 'object' && ndjsonText in body ? (body as NdjsonBody)[ndjsonText] : null;
}

export interface BatchLimits {
  readonly maxRecords: number;
  /** Nesting allowed in one NDJSON record (a JSON array body is checked as a whole). */
  readonly maxDepth: number;
}

function parseLine(line: string, lineNumber: number, maxDepth: number): BatchEntry {
  let record: unknown;
  try {
    record = JSON.parse(line) as unknown;
  } catch {
    return { ok: false, code: 'REQUEST_BODY_INVALID_JSON', message: `line ${lineNumber} is not valid JSON` };
  }
  // The mappers walk records recursively; an unchecked 100,000-deep line would overflow the stack.
  if (exceedsDepth(record, maxDepth)) return { ok: false, code: 'REQUEST_BODY_TOO_DEEP', message: `line ${lineNumber}: JSON nesting is limited to ${maxDepth} levels` };
  return { ok: true, record };
}

export function splitBatch(body: unknown, limits: BatchLimits): BatchEntry[] {
  let entries: BatchEntry[];
  const text = ndjsonTextOf(body);
  if (Array.isArray(body)) {
    if (body.length > limits.maxRecords) throw tooMany(limits.maxRecords, body.length);
    entries = body.map((record) => ({ ok: true, record }));
  } else if (text !== null) {
    const lines = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    // Counted before parsing: a body of 100,000 tiny lines is refused without parsing any.
    if (lines.length > limits.maxRecords) throw tooMany(limits.maxRecords, lines.length);
    entries = lines.map((line, i) => parseLine(line, i + 1, limits.maxDepth));
  } else {
    throw new VigilError('ALERT_SCHEMA_INVALID', 'a batch must be a JSON array of records or NDJSON', { path: '' });
  }
  if (entries.length === 0) throw new VigilError('ALERT_SCHEMA_INVALID', 'the batch is empty', { path: '' });
  return entries;
}

function tooMany(max: number, got: number): VigilError {
  return new VigilError('REQUEST_TOO_LARGE', `a batch holds at most ${max} records; this one has ${got}`);
}
