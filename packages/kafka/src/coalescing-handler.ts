import type { InputRecord, Outcome } from './outcome.ts';
import type { StageHandler } from './stage-handler.ts';

interface Caller {
  readonly count: number;
  resolve(outcomes: readonly Outcome[]): void;
  reject(error: unknown): void;
}

interface Group {
  readonly records: InputRecord[];
  readonly callers: Caller[];
  now: number;
  started: boolean;
}

/**
 * One handler call for the slices of several partitions that reach the handler together
 * (the partitions of one fetch are handled side by side). A handler's cost is mostly per
 * call: a transaction, a bulk request, a Redis round trip. At a moderate rate every
 * partition brings a few records per fetch, so three partitions meant three calls where
 * one does: on the 2-core bench machine the pipeline then used nearly both cores at half
 * its maximum rate whatever the rate, and one partition per topic had half the latency.
 *
 * Calls made in the same turn of the event loop are joined while the total stays within
 * `maxRecords` (a full slice runs alone, as before); each caller gets its own records'
 * outcomes, in its own order. If the joined call throws, every caller's promise rejects
 * and each caller isolates its own records (handleIsolating), so nothing is blamed on
 * another partition's record; a caller whose records were all held back behind another
 * partition's failure (`deferred`) has them handled alone.
 */
export function coalescingHandler(inner: StageHandler, maxRecords: number, onCall?: (records: number, slices: number) => void): StageHandler {
  let open: Group | null = null;

  async function run(group: Group): Promise<void> {
    // A group that filled up ran at once; its scheduled turn finds it started.
    if (group.started) return;
    group.started = true;
    if (open === group) open = null;
    onCall?.(group.records.length, group.callers.length);
    let results: readonly Outcome[];
    try {
      results = await inner.handle(group.records, group.now);
    } catch (error) {
      for (const caller of group.callers) caller.reject(error);
      return;
    }
    if (results.length !== group.records.length) {
      const error = new Error(`handler returned ${results.length} outcomes for ${group.records.length} records`);
      for (const caller of group.callers) caller.reject(error);
      return;
    }
    let at = 0;
    for (const caller of group.callers) {
      const own = results.slice(at, at + caller.count);
      // Deferred from its first record: held back behind another partition's failure,
      // so none of it was tried. Alone it owes nothing to that failure (and a slice may
      // not begin with a deferred record).
      if (own[0]?.kind === 'deferred') inner.handle(group.records.slice(at, at + caller.count), group.now).then(caller.resolve, caller.reject);
      else caller.resolve(own);
      at += caller.count;
    }
  }

  return {
    healthy: () => inner.healthy(),
    handle(records, now) {
      return new Promise<readonly Outcome[]>((resolve, reject) => {
        if (open !== null && open.records.length + records.length > maxRecords) void run(open);
        if (open === null) {
          const group: Group = { records: [], callers: [], now, started: false };
          open = group;
          setImmediate(() => void run(group));
        }
        open.records.push(...records);
        open.callers.push({ count: records.length, resolve, reject });
        open.now = Math.min(open.now, now);
      });
    },
  };
}
