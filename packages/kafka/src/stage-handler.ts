import type { InputRecord, Outcome } from './outcome.ts';

/** A stage's own logic, as the runtime sees it. */
export interface StageHandler {
  /**
   * Handle records of ONE partition, in offset order; return one outcome per record.
   * Must be idempotent: after a crash or retry the same records come again.
   */
  handle(records: readonly InputRecord[], now: number): Promise<readonly Outcome[]>;
  /** Every dependency of the handler answers: gates readiness and resuming. */
  healthy(): Promise<boolean>;
}
