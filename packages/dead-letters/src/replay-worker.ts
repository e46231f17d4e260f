import { Worker } from 'bullmq';
import { createQueueConnection, type RedisTarget } from '@vigil/redis';
import { REPLAY_QUEUE, type ReplayJobData } from './replay-job.ts';

export interface ReplayWorker {
  close(): Promise<void>;
}

/**
 * Process DLQ replay jobs with `replay`, which does the Kafka side and reports progress.
 * One job at a time: replays of one stage must not interleave their ledger checks.
 */
export function startReplayWorker<R>(redisUrl: RedisTarget, replay: (data: ReplayJobData, progress: (value: object) => Promise<void>) => Promise<R>): ReplayWorker {
  const connection = createQueueConnection(redisUrl);
  const worker = new Worker<ReplayJobData, R>(REPLAY_QUEUE, async (job) => replay(job.data, (value) => job.updateProgress(value)), { connection, concurrency: 1 });
  // Failures are recorded on the job (and reported by whoever waits for it).
  worker.on('error', () => undefined);
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
