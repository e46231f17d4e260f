import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { createQueueConnection } from './queue-connection.ts';
import type { RedisTarget } from './redis-connection.ts';

/** The BullMQ queue of webhook deliveries (one job per notification and webhook). */
export const WEBHOOK_QUEUE = 'vigil-webhook-delivery';

/** What a delivery job carries; tenantId is checked on every read. */
export interface WebhookJobData {
  readonly tenantId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly event: string;
  readonly incident: Record<string, unknown>;
  readonly occurredAt: number;
}

/** pending: waiting or backing off before its next attempt; dead: out of attempts or refused. */
export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface DeliveryView {
  readonly id: string;
  readonly state: DeliveryState;
  readonly event: string;
  readonly incident_id: string;
  readonly attempts: number;
  readonly error: string | null;
  readonly created_at: number;
  readonly finished_at: number | null;
}

export interface DeliverySettings {
  readonly attempts: number;
  /** First retry delay; each next one doubles (BullMQ exponential backoff). */
  readonly backoffMs: number;
}

export interface WebhookQueue {
  /** Add jobs; the id makes a repeated add of the same (event, webhook) a no-op. */
  add(jobs: ReadonlyArray<{ readonly id: string; readonly data: WebhookJobData }>): Promise<void>;
  /** Recent deliveries of one webhook of the tenant (at most `limit` per state, newest first). */
  list(tenantId: string, webhookId: string, states: readonly DeliveryState[], limit: number): Promise<DeliveryView[]>;
  close(): Promise<void>;
}

const DAY_SECONDS = 24 * 60 * 60;
const bullStates: Record<DeliveryState, Array<'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'prioritized'>> = {
  pending: ['waiting', 'active', 'delayed', 'prioritized'],
  delivered: ['completed'],
  dead: ['failed'],
};

function view(job: Job, state: DeliveryState): DeliveryView {
  const data = job.data as WebhookJobData;
  return {
    id: job.id!, state, event: data.event, incident_id: String(data.incident['id']), attempts: job.attemptsMade,
    error: job.failedReason || null, created_at: job.timestamp, finished_at: state === 'pending' ? null : (job.finishedOn ?? null),
  };
}

export async function createWebhookQueue(redisUrl: RedisTarget, settings: DeliverySettings): Promise<WebhookQueue> {
  const connection = createQueueConnection(redisUrl);
  connection.on('error', () => undefined);
  const queue = new Queue(WEBHOOK_QUEUE, { connection });
  await queue.waitUntilReady();
  return {
    async add(jobs) {
      if (jobs.length === 0) return;
      await queue.addBulk(jobs.map((j) => ({
        name: j.data.event,
        data: j.data,
        opts: {
          jobId: j.id, attempts: settings.attempts, backoff: { type: 'exponential', delay: settings.backoffMs },
          // Dead deliveries are kept a week for `GET /v1/webhooks/{id}/deliveries?state=dead`.
          removeOnComplete: { age: DAY_SECONDS }, removeOnFail: { age: 7 * DAY_SECONDS },
        },
      })));
    },

    async list(tenantId, webhookId, states, limit) {
      const out: DeliveryView[] = [];
      for (const state of states) {
        // Scans the newest jobs of the queue, not only this webhook's: bounded, and enough
        // for a tenant's recent history (docs/query-api.md).
        const jobs = await queue.getJobs(bullStates[state], 0, 999, false);
        const own = jobs.filter((j) => { const d = j?.data as WebhookJobData | undefined; return d?.tenantId === tenantId && d.webhookId === webhookId; });
        out.push(...own.slice(0, limit).map((j) => view(j, state)));
      }
      return out.sort((a, b) => b.created_at - a.created_at);
    },

    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Thrown by a delivery that must not be retried (refused URL, webhook gone): the job goes dead at once. */
export class PermanentDeliveryError extends Error {}

export interface WebhookWorker {
  close(): Promise<void>;
}

/** Run deliveries, `concurrency` at a time in this process; a thrown error is a failed attempt. */
export function startWebhookWorker(redisUrl: RedisTarget, concurrency: number, deliver: (data: WebhookJobData, jobId: string, attempt: number) => Promise<unknown>): WebhookWorker {
  const connection = createQueueConnection(redisUrl);
  connection.on('error', () => undefined);
  const worker = new Worker(
    WEBHOOK_QUEUE,
    async (job) => {
      try {
        return await deliver(job.data as WebhookJobData, job.id!, job.attemptsMade + 1);
      } catch (err) {
        throw err instanceof PermanentDeliveryError ? new UnrecoverableError(err.message) : err;
      }
    },
    { connection, concurrency },
  );
  // Failures are recorded on the job and listed by the deliveries endpoint.
  worker.on('error', () => undefined);
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
