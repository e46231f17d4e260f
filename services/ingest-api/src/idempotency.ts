import { VigilError } from '@vigil/errors';
import type { IdempotencyStore } from '@vigil/redis';

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header) || !KEY_PATTERN.test(header)) {
    throw new VigilError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be one header of 1-128 printable ASCII characters without spaces');
  }
  return header;
}

/**
 * Run `work` at most once per (tenant, key, payload): a retry with the same payload
 * gets the first response again, a concurrent retry gets 409, a different payload 422.
 * A failure releases the key so the client can retry it.
 */
export async function runOnce(store: IdempotencyStore, tenant: string, key: string | null, hashOf: () => string, work: () => Promise<StoredResponse>): Promise<StoredResponse> {
  // Hashing the payload costs real CPU per request: only pay it when a key asks for it.
  if (key === null) return work();
  const hash = hashOf();
  const claim = await store.claim(tenant, key, hash);
  if (claim.kind === 'in_flight') throw new VigilError('IDEMPOTENCY_IN_FLIGHT', 'a request with this Idempotency-Key is still being processed; retry in a moment', { retryAfterSeconds: 1 });
  if (claim.kind === 'mismatch') throw new VigilError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different payload; use a new key for a new request');
  if (claim.kind === 'done') return { status: claim.status, body: JSON.parse(claim.body) as unknown };
  let response: StoredResponse;
  try {
    response = await work();
  } catch (err) {
    await store.release(tenant, key, hash).catch(() => undefined);
    throw err;
  }
  await store.store(tenant, key, hash, response.status, JSON.stringify(response.body));
  return response;
}
