import type { Permission } from '@vigil/auth';
import type { FastifyInstance } from '@vigil/http';
import type { Logger } from '@vigil/logging';
import type { Pool } from '@vigil/postgres';
import { createWebhookQueue, startWebhookWorker, type RedisTarget } from '@vigil/redis';
import { registerWebhookRoutes } from '../routes/webhook-routes.ts';
import { startDispatcher } from './webhook-dispatcher.ts';
import { deliverOnce } from './webhook-delivery.ts';
import { systemResolver } from './webhook-url.ts';

export interface NotificationSettings {
  /** The Redis URL, or its connection with TLS trust (`loadStoreConnections`). */
  readonly redisUrl: RedisTarget;
  readonly allowPrivate: boolean;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly concurrency: number;
}

/**
 * Incident notifications inside the query API (docs/query-api.md says why here): the
 * webhook routes, the dispatcher that queues pending notifications, and the BullMQ worker
 * that delivers them. Returns the route family for registerAnalystRoutes and a close.
 */
export async function startNotifications(deps: { pool: Pool; logger: Logger }, settings: NotificationSettings): Promise<{ routes: readonly [Permission, (scope: FastifyInstance) => void]; close(): Promise<void> }> {
  const { pool, logger } = deps;
  const queue = await createWebhookQueue(settings.redisUrl, { attempts: settings.attempts, backoffMs: settings.backoffMs });
  const delivery = { pool, allowPrivate: settings.allowPrivate, timeoutMs: settings.timeoutMs, resolve: systemResolver, now: Date.now };
  const worker = startWebhookWorker(settings.redisUrl, settings.concurrency, async (data, jobId, attempt) => {
    try {
      return await deliverOnce(delivery, data, jobId);
    } catch (err) {
      // The URL may carry a token (Slack's do): log the webhook id, never the URL or secret.
      logger.warn({ tenant: data.tenantId, webhook: data.webhookId, delivery: jobId, attempt, err: (err as Error).message }, 'webhook delivery attempt failed');
      throw err;
    }
  });
  const dispatcher = startDispatcher(pool, queue, settings.pollMs, logger);
  return {
    routes: ['webhooks:write', (scope) => registerWebhookRoutes(scope, { pool, queue, allowPrivate: settings.allowPrivate, resolve: systemResolver })],
    async close() {
      await dispatcher.stop();
      await worker.close();
      await queue.close();
    },
  };
}
