import { createHash } from 'node:crypto';

/** The BullMQ queue of DLQ replays. */
export const REPLAY_QUEUE = 'vigil-dlq-replay';

export interface ReplayJobData {
  readonly stage: string;
  /** DLQ positions (`partition:offset`) resolved from the operator's selection. */
  readonly positions: readonly string[];
  /** The token subject that asked, for the audit trail in the job. */
  readonly requestedBy: string;
}

/**
 * Deterministic from the stage and the resolved positions: the same command submitted
 * twice (a double click, a retried script) is one job. New dead letters matching the
 * same filter later make a different set of positions, hence a new job. BullMQ ids may
 * not contain ':'.
 */
export function replayJobId(stage: string, positions: readonly string[]): string {
  const digest = createHash('sha256').update(stage).update('\n').update([...new Set(positions)].sort().join(',')).digest('hex');
  return `replay-${stage}-${digest.slice(0, 32)}`;
}
