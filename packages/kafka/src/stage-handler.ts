import type { InputRecord, Outcome } from './outcome.ts';

/** A stage's own logic, as the runtime sees it. */
export interface StageHandler {
  /**
   * Handle records of one or more partitions, each partition's in offset order (the
   * runtime joins slices that arrive together, coalescing-handler.ts); return one outcome
   * per record. Must be idempotent: after a crash or retry the same records come again.
   */
  handle(records: readonly InputRecord[], now: number): Promise<readonly Outcome[]>;
  /** Every dependency of the handler answers: gates readiness and resuming. */
  healthy(): Promise<boolean>;
}
