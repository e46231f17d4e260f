import { cutAtCodePoint } from '@vigil/contracts';
import { accept, checkText, reject, type Check } from './fields.ts';
import { field } from './shape.ts';
import { isPlainObject, jsonTypeOf } from './value-type.ts';

export const MAX_LABELS = 32;
export const MAX_LABEL_KEY = 64;
export const MAX_LABEL_VALUE = 256;

type LabelSource = string | number | readonly string[] | null | undefined;

/**
 * Labels derived from a source format's extras. These are nice-to-have context, so an
 * over-long value is truncated rather than costing the whole alert; empty ones are dropped,
 * lists are de-duplicated and comma-joined.
 */
export function buildLabels(entries: Readonly<Record<string, LabelSource>>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, source] of Object.entries(entries)) {
    if (source === null || source === undefined) continue;
    const value = typeof source === 'string' || typeof source === 'number' ? String(source) : [...new Set(source)].join(',');
    if (value !== '') labels[key] = cutAtCodePoint(value, MAX_LABEL_VALUE);
  }
  return labels;
}

/** Labels a Vigil-native sensor sends explicitly: validated strictly, since the author controls them. */
export function checkLabels(value: unknown): Check<Record<string, string>> {
  if (value === undefined || value === null) return accept({});
  if (!isPlainObject(value)) return reject(`must be an object of string values (got ${jsonTypeOf(value)})`);
  const entries = Object.entries(value);
  if (entries.length > MAX_LABELS) return reject(`must have at most ${MAX_LABELS} entries (got ${entries.length})`);
  const labels: [string, string][] = [];
  for (const [key, raw] of entries) {
    const name = key.trim();
    if (name === '' || name.length > MAX_LABEL_KEY || name.includes('\u0000')) {
      return reject(`keys must be 1-${MAX_LABEL_KEY} characters without NUL (got ${JSON.stringify(cutAtCodePoint(key, 80))})`, [key]);
    }
    if (typeof raw !== 'string') return reject(`must be a string (got ${jsonTypeOf(raw)})`, [key]);
    const text = checkText(raw, MAX_LABEL_VALUE);
    if (!text.ok) return reject(text.message, [key]);
    labels.push([name, text.value ?? '']);
  }
  // fromEntries defines own properties, so a "__proto__" key stays a plain label.
  return accept(Object.fromEntries(labels));
}

export const labelsField = () => field(checkLabels);
