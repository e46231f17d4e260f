import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// canonicalize ships CommonJS with ESM-style typings; require() sidesteps the mismatch.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (value: unknown) => string | undefined;

/**
 * JSON.parse reads `1e400` as Infinity, which canonical JSON cannot spell (canonicalize
 * throws). JSON.stringify writes null for it, and so does the stored raw record: hash the
 * same. Bodies reach this after the depth check, so the recursion is bounded.
 */
function finiteOnly(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(finiteOnly);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finiteOnly(v)]));
  return value;
}

/**
 * Canonical JSON of a parsed body. Parsed JSON holds no non-finite number but for the
 * rare `1e400`, and canonicalize throws only on those: so the copy that replaces them is
 * made only then, not for every body on the request path.
 */
function canonicalJson(body: unknown): string | undefined {
  try {
    return canonicalize(body);
  } catch {
    return canonicalize(finiteOnly(body));
  }
}

/**
 * Hash of a request for idempotency: RFC 8785 canonical JSON, so key order and number
 * spelling do not make two equal payloads look different.
 */
export function payloadHash(format: string, body: unknown): string {
  return createHash('sha256').update(format).update('\n').update(canonicalJson(body) ?? 'null').digest('hex');
}
