/**
 * Pure parts of `vigil send`: turn files into records, records into batches, and
 * batch answers into per-record outcomes. Every record travels as one NDJSON line, and
 * the gateway decides whether it is a valid alert and says why per record.
 */

export interface SendItem {
  /** Where the record came from: `file:line` (NDJSON) or `file[index]` (JSON array). */
  readonly source: string;
  /** The record as one line of JSON. */
  readonly line: string;
}

export interface Rejection {
  readonly source: string;
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

export interface SplitFile {
  readonly items: SendItem[];
  /** NDJSON lines that are not JSON: reported here, with their line in the file, and not sent. */
  readonly invalid: Rejection[];
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file is a JSON array of records, one JSON object, or NDJSON (one record a line).
 * Anything that does not parse as a whole is read as NDJSON. Whether a record is a valid
 * alert is the gateway's call; only lines that are not JSON at all are caught here, where
 * their line number in the file is known.
 */
export function splitAlertFile(name: string, text: string): SplitFile {
  const content = text.replace(/^\uFEFF/, '');
  const whole = parseWhole(content);
  if (Array.isArray(whole)) return { items: whole.map((record, i) => ({ source: `${name}[${i}]`, line: JSON.stringify(record) })), invalid: [] };
  if (whole !== undefined) return { items: [{ source: name, line: JSON.stringify(whole) }], invalid: [] };
  const split: SplitFile = { items: [], invalid: [] };
  for (const [i, raw] of content.split('\n').entries()) {
    const line = raw.trim();
    const source = `${name}:${i + 1}`;
    if (line === '') continue;
    if (isJson(line)) split.items.push({ source, line });
    else split.invalid.push({ source, code: 'REQUEST_BODY_INVALID_JSON', path: '', message: 'not valid JSON' });
  }
  return split;
}

/** An object or array parsed from the whole text; undefined for NDJSON (or garbage). */
function parseWhole(content: string): object | undefined {
  const start = content.trimStart()[0];
  if (start !== '[' && start !== '{') return undefined;
  try {
    const value = JSON.parse(content) as unknown;
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Batches of at most `maxRecords` records and, where possible, `maxBytes` of NDJSON, so
 * a batch stays under the gateway's body cap. A single record over `maxBytes` goes
 * alone (and the gateway answers 413 for it).
 */
export function chunkItems(items: readonly SendItem[], maxRecords: number, maxBytes: number): SendItem[][] {
  const batches: SendItem[][] = [];
  let current: SendItem[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(item.line) + 1;
    if (current.length > 0 && (current.length >= maxRecords || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export const toNdjson = (batch: readonly SendItem[]) => batch.map((item) => item.line).join('\n');

interface RecordResult {
  readonly index?: unknown;
  readonly status?: unknown;
  readonly error?: { readonly code?: unknown; readonly path?: unknown; readonly message?: unknown };
}

export interface BatchOutcome {
  readonly accepted: number;
  readonly rejected: Rejection[];
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * What one gateway answer means for each record of the batch: per-record results for
 * 202/207/422, otherwise the one error (401, 413, 415...) applies to every record.
 */
export function outcomeOf(batch: readonly SendItem[], status: number, body: unknown): BatchOutcome {
  const results = (body as { results?: unknown } | null)?.results;
  if ([202, 207, 422].includes(status) && Array.isArray(results)) {
    let accepted = 0;
    const rejected: Rejection[] = [];
    for (const [i, item] of batch.entries()) {
      const result = (results as RecordResult[]).find((r) => r.index === i);
      if (result?.status === 'accepted') accepted++;
      else rejected.push({ source: item.source, code: text(result?.error?.code) || 'NO_RESULT', path: text(result?.error?.path), message: text(result?.error?.message) });
    }
    return { accepted, rejected };
  }
  const error = (body as { error?: RecordResult['error'] } | null)?.error;
  const code = text(error?.code) || `HTTP_${status}`;
  return { accepted: 0, rejected: batch.map((item) => ({ source: item.source, code, path: text(error?.path), message: text(error?.message) })) };
}
