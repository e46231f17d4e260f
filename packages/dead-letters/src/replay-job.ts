import { createHash } from 'node:crypto';

/** The BullMQ queue of DLQ replays. */
export const REPLAY_QUEUE = 'vigil-dlq-replay';

export interface ReplayJobData {
  readonly stage: string;
  /** Dead letter ids (`stage:partition:offset:fingerprint`) resolved from the operator's selection. */
  readonly letters: readonly string[];
  /** The token subject that asked, for the audit trail in the job. */
  readonly requestedBy: string;
}

/**
 * Deterministic from the stage and the resolved dead letters: the same command submitted
 * twice (a double click, a retried script) is one job. New dead letters matching the
 * same filter later make a different set, hence a new job; so do new letters at reused
 * positions of a recreated DLQ topic, because the ids carry a fingerprint. BullMQ ids
 * may not contain ':'.
 */
export function replayJobId(stage: string, letters: readonly string[]): string {
  const digest = createHash('sha256').update(stage).update('\n').update([...new Set(letters)].sort().join(',')).digest('hex');
  return `replay-${stage}-${digest.slice(0, 32)}`;
}
