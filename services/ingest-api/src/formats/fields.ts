import { field, object, type Outcome, type Segment, type Shape } from './shape.ts';
import { jsonTypeOf } from './value-type.ts';

/** Caps on mapped strings: they end up in Avro records, OpenSearch keyword fields and UIs. */
export const MAX_RULE_NAME = 512;
export const MAX_TEXT = 1024;

/** A field check's result: shape.ts's outcome, so checks and shapes compose without adapters. */
export type Check<T> = Outcome<T>;

export function accept<T>(value: T): Check<T> {
  return { ok: true, value };
}

export function reject(message: string, path?: readonly Segment[]): Check<never> {
  return path === undefined ? { ok: false, message } : { ok: false, message, path };
}

function isMissing(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Trimmed text; null for missing, null or whitespace-only (sensors emit "" for "unknown"). */
export function checkText(value: unknown, max: number = MAX_TEXT): Check<string | null> {
  if (isMissing(value)) return accept(null);
  if (typeof value !== 'string') return reject(`must be a string (got ${jsonTypeOf(value)})`);
  // NUL breaks C-string consumers downstream and is never meaningful in an alert field.
  if (value.includes('\u0000')) return reject('must not contain NUL characters');
  const trimmed = value.trim();
  if (trimmed.length > max) return reject(`must be at most ${max} characters (got ${trimmed.length})`);
  return accept(trimmed === '' ? null : trimmed);
}

/** Ids are strings in some formats and integers in others; both become strings. */
export function checkId(value: unknown, max: number = MAX_TEXT): Check<string | null> {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? accept(String(value)) : reject('must be a string or a non-negative integer');
  }
  if (!isMissing(value) && typeof value !== 'string') return reject(`must be a string or an integer (got ${jsonTypeOf(value)})`);
  return checkText(value, max);
}

export function checkInteger(value: unknown, min: number, max: number): Check<number | null> {
  if (isMissing(value)) return accept(null);
  if (typeof value !== 'number' || !Number.isInteger(value)) return reject(`must be an integer (got ${describeValue(value)})`);
  if (value < min || value > max) return reject(`must be an integer from ${min} to ${max} (got ${value})`);
  return accept(value);
}

function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : jsonTypeOf(value);
}

/** Turns an optional check into a required one, telling "absent" apart from "empty". */
function required<T>(check: (value: unknown) => Check<T | null>): (value: unknown) => Check<T> {
  return (value) => {
    if (isMissing(value)) return reject('is required');
    const result = check(value);
    if (!result.ok) return result;
    return result.value === null ? reject('must not be empty') : accept(result.value);
  };
}

export const optionalText = (max: number = MAX_TEXT) => field((v) => checkText(v, max));
/**
 * Enrichment text an attack makes long (a request URL carrying an exploit): cut to `max`
 * rather than rejected, so the alert is not lost for the length of its evidence.
 */
export const clippedText = (max: number = MAX_TEXT) => field((v) => checkText(typeof v === 'string' ? v.trim().slice(0, max) : v, max));
export const requiredText = (max: number = MAX_TEXT) => field(required((v) => checkText(v, max)));
export const lowerText = (max: number = MAX_TEXT) => field((v) => checkText(v, max)).transform((s) => s?.toLowerCase() ?? null);
export const optionalId = (max: number = MAX_TEXT) => field((v) => checkId(v, max));
export const requiredId = (max: number = MAX_TEXT) => field(required((v) => checkId(v, max)));
export const optionalInteger = (min: number, max: number) => field((v) => checkInteger(v, min, max));
export const requiredInteger = (min: number, max: number) => field(required((v) => checkInteger(v, min, max)));

/** A string or a list of strings (formats disagree, and some sensors flip between the two). */
export function checkStringList(value: unknown): Check<string[]> {
  if (isMissing(value)) return accept([]);
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const [index, item] of items.entries()) {
    const text = checkText(item);
    if (!text.ok) return Array.isArray(value) ? reject(text.message, [index]) : text;
    if (text.value !== null) out.push(text.value);
  }
  return accept(out);
}

export const stringList = () => field(checkStringList);

const HASH_LENGTHS = new Set([32, 40, 64, 128]);

/** MD5, SHA-1, SHA-256 or SHA-512 as hex; lower-cased so equal hashes compare equal. */
export function checkFileHash(value: unknown): Check<string | null> {
  const text = checkText(value);
  if (!text.ok || text.value === null) return text;
  if (!/^[0-9a-fA-F]+$/.test(text.value) || !HASH_LENGTHS.has(text.value.length)) {
    return reject('must be a hex MD5, SHA-1, SHA-256 or SHA-512 digest');
  }
  return accept(text.value.toLowerCase());
}

export const fileHash = () => field(checkFileHash);

/** Optional sub-object: JSON producers write null as often as they omit the key. */
export function nullishObject<D extends Record<string, Shape<unknown>>>(definition: D) {
  return object(definition).nullish();
}
