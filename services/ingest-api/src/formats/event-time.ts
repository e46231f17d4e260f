import { parseTimestamp } from './timestamp.ts';
import { failure, type MapFailure } from './map-result.ts';

/** How a format may write its event time. */
export type TimeEncoding = 'rfc3339' | 'iso8601' | 'epoch-ms' | 'epoch-seconds' | 'epoch-any-unit';

/** Older events are almost always replays or broken sensor clocks, and would land in closed index windows. */
export const MAX_EVENT_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** Allows for ordinary clock skew between sensor and server, nothing more. */
export const MAX_EVENT_SKEW_MS = 5 * 60 * 1000;

/** Beyond this JavaScript dates cannot represent the instant at all. */
const MAX_DATE_MS = 8.64e15;

const descriptions: Readonly<Record<TimeEncoding, string>> = {
  rfc3339: 'an RFC 3339 timestamp such as 2025-01-15T10:23:45.123Z',
  iso8601: 'an ISO 8601 timestamp such as 2025-01-15T10:23:45.123+0000',
  'epoch-ms': 'integer epoch milliseconds',
  'epoch-seconds': 'epoch seconds',
  'epoch-any-unit': 'epoch milliseconds (seconds and microseconds are told apart by size)',
};

function decode(value: unknown, encodings: readonly TimeEncoding[]): number | null {
  if (typeof value === 'string') {
    if (encodings.includes('iso8601')) return parseTimestamp(value.trim(), { compactOffset: true });
    if (encodings.includes('rfc3339')) return parseTimestamp(value.trim(), { compactOffset: false });
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (encodings.includes('epoch-ms')) return Number.isInteger(value) && Math.abs(value) <= MAX_DATE_MS ? value : null;
  if (encodings.includes('epoch-any-unit')) return byMagnitude(value);
  // Zeek writes microsecond floats; rounding absorbs binary floating-point error in `ts * 1000`.
  if (encodings.includes('epoch-seconds')) return Math.abs(value) <= MAX_DATE_MS / 1000 ? Math.round(value * 1000) : null;
  return null;
}

/**
 * OCSF says milliseconds, but real producers write seconds (Prowler's json-ocsf) or
 * microseconds (generators): for any date from 1973 to 5138 the three never overlap.
 */
function byMagnitude(value: number): number | null {
  const size = Math.abs(value);
  if (size < 1e11) return Math.round(value * 1000);
  if (size < 1e14) return Math.round(value);
  if (size < 1e17) return Math.round(value / 1000);
  return null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Parses the event time and checks it against the accepted window
 * [now - MAX_EVENT_AGE_MS, now + MAX_EVENT_SKEW_MS].
 */
export function resolveEventTime(
  value: unknown,
  path: string,
  encodings: readonly TimeEncoding[],
  now: number,
): { ok: true; value: number } | MapFailure {
  if (value === undefined || value === null) {
    return failure('ALERT_TIMESTAMP_INVALID', path, `${path} is required: it is the time the event happened`);
  }
  const ms = decode(value, encodings);
  if (ms === null) {
    const accepted = encodings.map((e) => descriptions[e]).join(' or ');
    return failure('ALERT_TIMESTAMP_INVALID', path, `${path} must be ${accepted} (got ${JSON.stringify(value)})`);
  }
  if (ms < now - MAX_EVENT_AGE_MS) {
    // The classic mistake: epoch seconds where milliseconds are expected lands in January 1970.
    const hint = encodings.includes('epoch-ms') && typeof value === 'number' && value * 1000 >= now - MAX_EVENT_AGE_MS && value * 1000 <= now + MAX_EVENT_SKEW_MS
      ? '; it looks like epoch seconds, send milliseconds'
      : '';
    return failure('ALERT_TIMESTAMP_INVALID', path, `${path} ${iso(ms)} is more than 30 days before the server time ${iso(now)}${hint}`);
  }
  if (ms > now + MAX_EVENT_SKEW_MS) {
    return failure('ALERT_TIMESTAMP_INVALID', path, `${path} ${iso(ms)} is more than 5 minutes after the server time ${iso(now)}; check the sensor clock`);
  }
  return { ok: true, value: ms };
}
