import type { Logger } from '@vigil/logging';
import { inTransaction, type Pool } from '@vigil/postgres';
import type { WebhookJobData, WebhookQueue } from '@vigil/redis';

interface PendingEvent {
  readonly id: string;
  readonly tenant_id: string;
  readonly event: string;
  readonly incident: Record<string, unknown>;
  readonly created_ms: string;
}

/** One delivery job per (notification, webhook); the same id on a repeated dispatch. */
export const deliveryJobId = (eventId: string, webhookId: string) => `n${eventId}-${webhookId}`;

/**
 * Move pending notification intents (written by the incidents trigger, migration 010)
 * into the delivery queue. Rows are locked with SKIP LOCKED, so several query-api replicas
 * share the work; jobs are added before the rows are marked, and a job id names its
 * (event, webhook) pair, so a crash between the two only re-adds jobs BullMQ already has.
 * Returns how many intents it handled.
 */
export async function dispatchPending(pool: Pool, queue: WebhookQueue, batch: number): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<PendingEvent>(
      `SELECT id, tenant_id, event, incident, (extract(epoch FROM created_at) * 1000)::bigint AS created_ms
         FROM webhook_events WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batch],
    );
    if (rows.length === 0) return 0;
    const hooks = await client.query<{ id: string; tenant_id: string; events: string[] }>(
      'SELECT id, tenant_id, events FROM webhooks WHERE tenant_id = ANY($1) AND enabled AND deleted_at IS NULL',
      [[...new Set(rows.map((r) => r.tenant_id))]],
    );
    const jobs = rows.flatMap((e) =>
      hooks.rows
        .filter((h) => h.tenant_id === e.tenant_id && h.events.includes(e.event))
        .map((h) => ({ id: deliveryJobId(e.id, h.id), data: { tenantId: e.tenant_id, webhookId: h.id, eventId: e.id, event: e.event, incident: e.incident, occurredAt: Number(e.created_ms) } satisfies WebhookJobData })),
    );
    await queue.add(jobs);
    await client.query('UPDATE webhook_events SET dispatched_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)]);
    return rows.length;
  });
}

/** Poll every `intervalMs` (at once again after a full batch); a failed round is logged and retried. */
export function startDispatcher(pool: Pool, queue: WebhookQueue, intervalMs: number, logger: Logger): { stop(): Promise<void> } {
  const BATCH = 200;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    let handled = 0;
    try {
      handled = await dispatchPending(pool, queue, BATCH);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'webhook dispatch round failed; retrying');
    }
    if (!stopped) timer = setTimeout(tick, handled === BATCH ? 0 : intervalMs);
  };
  const tick = () => { running = round(); };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
