// The dead-letter feature: reading a stage's DLQ, selecting and describing dead letters,
// and replaying them to their source topic as a BullMQ job with a ledger so nothing is
// sent twice. The envelope itself is written by the stage runtime (@vigil/kafka dead-letter.ts).
export { deadLetterId, formatPosition, parsePosition, parsePositions, type DlqPosition } from './dlq-position.ts';
export { findDeadLetter, readDeadLetters, readDeadLetterWindow, type DeadLetterWindow, type DlqReadBounds, type StoredDeadLetter } from './dlq-reader.ts';
export { attributeDeadLetters, tenantOfDeadLetter, type AttributedDeadLetter } from './dlq-tenant.ts';
export { replayDeadLetters, REPLAY_OF_HEADER, toReplayRecord, type ReplayProgress, type ReplayRequest } from './dlq-replay.ts';
export { isReplayable, selectDeadLetters, type DlqSelection, type SelectionResult } from './dlq-selection.ts';
export { summarizeDeadLetters, type DlqSummary } from './dlq-summary.ts';
export { describeDeadLetter } from './dlq-view.ts';
export { REPLAY_QUEUE, replayJobId, type ReplayJobData } from './replay-job.ts';
export { createReplayLedger, ledgerKeepMs, REPLAY_LEDGER_KEY, type ReplayLedger, type ReplayLedgerOptions } from './replay-ledger.ts';
export { createReplayQueue, type ReplayQueue, type SubmitState } from './replay-queue.ts';
export { startReplayWorker, type ReplayWorker } from './replay-worker.ts';
