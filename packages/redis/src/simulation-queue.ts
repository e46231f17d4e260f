import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { createQueueConnection } from './queue-connection.ts';
import type { RedisTarget } from './redis-connection.ts';

/** The BullMQ queue of rule simulations (backtests). */
export const SIMULATION_QUEUE = 'vigil-rule-simulation';

/** What every simulation job carries: the tenant it belongs to, always checked on read. */
export interface TenantJobData {
  readonly tenantId: string;
  readonly requestedBy: string;
}

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'cancelled';

export interface JobView<D, R> {
  readonly id: string;
  readonly state: JobState;
  readonly data: D;
  readonly progress: unknown;
  readonly result: R | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

export type SubmitResult = { readonly ok: true; readonly jobId: string } | { readonly ok: false; readonly unfinished: number };

export interface SimulationQueue<D extends TenantJobData, R> {
  /** Queue a job unless the tenant already has `perTenant` unfinished ones. */
  submit(data: D): Promise<SubmitResult>;
  /** The job if it belongs to the tenant; another tenant's job is indistinguishable from none. */
  get(tenantId: string, jobId: string): Promise<JobView<D, R> | null>;
  /** Cancel a waiting job at once, an active one at its next page; false when there is no such job of the tenant. */
  cancel(tenantId: string, jobId: string): Promise<boolean>;
  close(): Promise<void>;
}

const HOUR_SECONDS = 3600;
const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
const cancelKey = (jobId: string) => `vigil:simulation:cancel:${jobId}`;
const submitLock = (tenantId: string) => `vigil:simulation:submit:${tenantId}`;

/**
 * Per-tenant fairness without BullMQ Pro groups: a tenant may have at most `perTenant`
 * unfinished jobs, so with FIFO order and a few worker slots one tenant's heavy
 * simulations can hold at most that many slots while others' jobs still get theirs.
 * Submits of one tenant are serialised by a short lock so two at once cannot both pass.
 */
export async function createSimulationQueue<D extends TenantJobData, R>(redisUrl: RedisTarget, options: { perTenant: number; keepSeconds?: number }): Promise<SimulationQueue<D, R>> {
  const connection = createQueueConnection(redisUrl);
  connection.on('error', () => undefined);
  // Untyped inside: BullMQ's generics do not follow a generic D; data is typed at the edges.
  const queue = new Queue(SIMULATION_QUEUE, { connection });
  await queue.waitUntilReady();
  const keep = options.keepSeconds ?? 24 * HOUR_SECONDS;

  async function owned(tenantId: string, jobId: string): Promise<Job | null> {
    if (!/^[0-9a-f-]{36}$/.test(jobId)) return null;
    const job = await queue.getJob(jobId);
    return job && (job.data as TenantJobData).tenantId === tenantId ? job : null;
  }

  return {
    async submit(data) {
      const lock = submitLock(data.tenantId);
      const token = randomUUID();
      for (let i = 0; (await connection.set(lock, token, 'PX', 5000, 'NX')) !== 'OK'; i += 1) {
        if (i > 50) throw new Error('simulation submit lock is held too long');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      try {
        const mine = (await queue.getJobs([...UNFINISHED])).filter((j) => (j.data as TenantJobData).tenantId === data.tenantId);
        // A cancelled job no worker holds yet stops the moment one picks it: it no longer
        // holds the tenant's slot, so "cancel it" (SIMULATION_LIMIT's advice) frees one at once.
        const holding = await Promise.all(mine.map(async (j) => (await connection.exists(cancelKey(j.id!))) === 0 || (await j.getState()) === 'active'));
        const unfinished = holding.filter(Boolean).length;
        if (unfinished >= options.perTenant) return { ok: false, unfinished };
        const jobId = randomUUID();
        await queue.add('simulate', data, { jobId, attempts: 1, removeOnComplete: { age: keep }, removeOnFail: { age: keep } });
        return { ok: true, jobId };
      } finally {
        if ((await connection.get(lock)) === token) await connection.del(lock);
      }
    },

    async get(tenantId, jobId) {
      const job = await owned(tenantId, jobId);
      if (!job) return null;
      const raw = await job.getState();
      const cancelled = (await connection.exists(cancelKey(jobId))) === 1;
      const state: JobState = cancelled && raw !== 'active' ? 'cancelled' : raw === 'completed' ? 'completed' : raw === 'failed' ? 'failed' : raw === 'active' ? 'active' : 'waiting';
      return {
        id: jobId,
        state,
        data: job.data as D,
        progress: job.progress,
        result: raw === 'completed' ? ((job.returnvalue as R | undefined) ?? null) : null,
        error: raw === 'failed' ? (job.failedReason ?? 'failed') : null,
        createdAt: job.timestamp,
        finishedAt: job.finishedOn ?? null,
      };
    },

    async cancel(tenantId, jobId) {
      const job = await owned(tenantId, jobId);
      if (!job) return false;
      await connection.set(cancelKey(jobId), '1', 'EX', keep);
      // The job is kept (its status stays readable): a waiting one stops as soon as a
      // worker picks it, an active one at its next page.
      return true;
    },

    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/**
 * Stop every worker of the simulation queue from taking new jobs (running ones go on), or
 * let them take jobs again. Queued jobs stay unfinished meanwhile and keep counting against
 * their tenant's limit: for maintenance, and for tests that must hold jobs unfinished.
 */
export async function pauseSimulations(redisUrl: RedisTarget, paused: boolean): Promise<void> {
  const connection = createQueueConnection(redisUrl);
  connection.on('error', () => undefined);
  const queue = new Queue(SIMULATION_QUEUE, { connection });
  try {
    await (paused ? queue.pause() : queue.resume());
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export interface JobContext {
  progress(value: object): Promise<void>;
  /** True once someone cancelled the job: stop at the next safe point. */
  cancelled(): Promise<boolean>;
}

export interface SimulationWorker {
  close(): Promise<void>;
}

/** Run simulation jobs, `concurrency` at a time in this process. */
export function startSimulationWorker<D extends TenantJobData, R>(redisUrl: RedisTarget, concurrency: number, run: (data: D, ctx: JobContext) => Promise<R>): SimulationWorker {
  const connection = createQueueConnection(redisUrl);
  // Cancel flags are read on their own connection: the worker's may be blocked waiting for jobs.
  const flags = createQueueConnection(redisUrl, { maxRetriesPerRequest: 1 });
  for (const c of [connection, flags]) c.on('error', () => undefined);
  const worker = new Worker(
    SIMULATION_QUEUE,
    async (job) => run(job.data as D, { progress: (value) => job.updateProgress(value), cancelled: async () => (await flags.exists(cancelKey(job.id!))) === 1 }),
    { connection, concurrency },
  );
  // Failures are recorded on the job and shown by the status endpoint.
  worker.on('error', () => undefined);
  return {
    async close() {
      await worker.close();
      connection.disconnect();
      flags.disconnect();
    },
  };
}
