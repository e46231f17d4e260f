import { fields } from '@vigil/config';

/** Notification settings of the query API (merged into its config schema). */
export const webhookConfigFields = {
  /** Attempts per delivery before it is dead (the first included). */
  WEBHOOK_ATTEMPTS: fields.positiveInt(8),
  /** First retry delay; doubles each attempt (8 attempts ≈ 10 min of retrying at 5 s). */
  WEBHOOK_BACKOFF_MS: fields.positiveInt(5_000),
  /** One attempt's budget: connect, send and the receiver's answer. */
  WEBHOOK_TIMEOUT_MS: fields.positiveInt(10_000),
  /** How often pending notifications are moved into the delivery queue. */
  WEBHOOK_POLL_MS: fields.positiveInt(1_000),
  /** Deliveries in flight at once in this process (I/O-bound). */
  WEBHOOK_CONCURRENCY: fields.positiveInt(8),
} as const;
