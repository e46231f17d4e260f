import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-vigil-signature';
export const TIMESTAMP_HEADER = 'x-vigil-timestamp';
/** Receivers refuse a timestamp further than this from their clock (replay protection). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `v1=` + hex HMAC-SHA256 of `${timestamp}.${body}` under the webhook's secret. */
export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/**
 * The receiver's side (docs/query-api.md shows the same recipe): a stale or future
 * timestamp is refused before the signature, and the comparison is constant-time.
 */
export function verifySignature(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds || headers.signature === undefined) return false;
  const expected = Buffer.from(signPayload(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
