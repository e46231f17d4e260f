import { Queue, QueueEvents } from 'bullmq';
import { createQueueConnection, type RedisTarget } from '@vigil/redis';
import { REPLAY_QUEUE, replayJobId, type ReplayJobData } from './replay-job.ts';

export type SubmitState = 'created' | 'existing' | 'retried';

export interface ReplayQueue {
  /** Add the job, or find the one an identical earlier submit created (a failed one is retried). */
  submit(data: ReplayJobData): Promise<{ readonly jobId: string; readonly state: SubmitState }>;
  /** Resolve with the job's result once it finished; report progress meanwhile. */
  wait<R>(jobId: string, onProgress: (progress: unknown) => void, timeoutMs: number): Promise<R>;
  close(): Promise<void>;
}

const DAY_SECONDS = 24 * 60 * 60;

export async function createReplayQueue(redisUrl: RedisTarget): Promise<ReplayQueue> {
  const connection = createQueueConnection(redisUrl);
  const queue = new Queue<ReplayJobData>(REPLAY_QUEUE, { connection });
  const events = new QueueEvents(REPLAY_QUEUE, { connection: connection.duplicate() });
  await events.waitUntilReady();

  return {
    async submit(data) {
      const jobId = replayJobId(data.stage, data.letters);
      const existing = await queue.getJob(jobId);
      if (existing) {
        if ((await existing.getState()) !== 'failed') return { jobId, state: 'existing' };
        await existing.retry('failed');
        return { jobId, state: 'retried' };
      }
      await queue.add('replay', data, {
        jobId,
        attempts: 3,
        backoff: { type: 'exponential', delay: 2000 },
        // Kept a day so a repeated submit finds the finished job instead of a new one.
        removeOnComplete: { age: DAY_SECONDS },
        removeOnFail: { age: 7 * DAY_SECONDS },
      });
      return { jobId, state: 'created' };
    },

    async wait<R>(jobId: string, onProgress: (progress: unknown) => void, timeoutMs: number): Promise<R> {
      const job = await queue.getJob(jobId);
      if (!job) throw new Error(`replay job ${jobId} not found`);
      const listener = ({ jobId: id, data }: { jobId: string; data: unknown }) => {
        if (id === jobId) onProgress(data);
      };
      events.on('progress', listener);
      try {
        return (await job.waitUntilFinished(events, timeoutMs)) as R;
      } finally {
        events.off('progress', listener);
      }
    },

    async close() {
      await events.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
