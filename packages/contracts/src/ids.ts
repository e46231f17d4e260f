import { createHash, randomUUID } from 'node:crypto';

/**
 * Name-based UUID (RFC 4122 version 5 layout over SHA-1) so ids are deterministic:
 * the same tenant and sensor id always give the same alert id, the same rule window
 * the same incident id. Replays then hit the same OpenSearch _id.
 */
export function deterministicId(namespace: string, ...parts: readonly string[]): string {
  const hash = createHash('sha1').update(namespace).update('\u0000').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function randomId(): string {
  return randomUUID();
}
