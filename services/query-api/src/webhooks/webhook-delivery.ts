import { isVigilError } from '@vigil/errors';
import type { Pool } from '@vigil/postgres';
import { PermanentDeliveryError, type WebhookJobData } from '@vigil/redis';
import { buildPayload } from './webhook-payload.ts';
import { postChecked } from './webhook-post.ts';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './webhook-signature.ts';
import { deliveryTarget } from './webhook-store.ts';
import type { Resolver } from './webhook-url.ts';

export interface DeliveryDeps {
  readonly pool: Pool;
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
  readonly resolve: Resolver;
  readonly now: () => number;
}

/**
 * One attempt of one delivery job. Signed afresh each attempt (a retry hours later carries
 * a current timestamp); the delivery id stays, so receivers can drop repeats. A non-2xx
 * answer or a network error is a failed attempt (BullMQ retries with backoff); a refused
 * URL is permanent and the job is dead at once.
 */
export async function deliverOnce(deps: DeliveryDeps, data: WebhookJobData, jobId: string): Promise<{ status: number } | { skipped: string }> {
  const target = await deliveryTarget(deps.pool, data.tenantId, data.webhookId);
  if (!target) return { skipped: 'webhook deleted or disabled' };
  const body = JSON.stringify(buildPayload(target.format, { deliveryId: jobId, event: data.event, occurredAt: data.occurredAt, incident: data.incident }));
  const timestamp = Math.floor(deps.now() / 1000);
  const headers = {
    'content-type': 'application/json', 'user-agent': 'Vigil-Webhooks/1', 'x-vigil-event': `incident.${data.event}`, 'x-vigil-delivery': jobId,
    [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signPayload(target.secret, timestamp, body),
  };
  try {
    const { status } = await postChecked(target.url, body, headers, deps);
    if (status < 200 || status > 299) throw new Error(`receiver answered HTTP ${status}`);
    return { status };
  } catch (err) {
    if (isVigilError(err) && err.code === 'WEBHOOK_URL_REFUSED') throw new PermanentDeliveryError(err.message);
    throw err;
  }
}
