import { fields } from '@vigil/config';

/**
 * Bounds of the tenant dead-letter routes (merged into the query API's config schema). A
 * request never reads a whole DLQ topic: the newest letters of each stage up to a count,
 * a byte cap and a deadline, and one read serves every request (every tenant) for a moment.
 */
export const deadLetterConfigFields = {
  /** Newest letters read per stage DLQ; older ones are not listed (the answer says so). */
  DLQ_READ_LAST: fields.positiveInt(1000),
  /** Key and value bytes one stage's read may hold. */
  DLQ_READ_MAX_BYTES: fields.positiveInt(16 * 1024 * 1024),
  /** A read of one stage's DLQ that takes longer fails with 503. */
  DLQ_READ_TIMEOUT_MS: fields.positiveInt(10_000),
  /** How long one read answers every request before the next one. */
  DLQ_CACHE_MS: fields.positiveInt(5_000),
} as const;
