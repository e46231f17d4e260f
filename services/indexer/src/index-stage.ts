import { VigilError } from '@vigil/errors';
import { done, fail, reject, type Outcome, type StageHandler } from '@vigil/kafka';
import type { IndexTimeRegistry } from '@vigil/redis';
import { bulkWrite, createIndexGuard, searchHealthy, type SearchClient } from '@vigil/search';
import { indexDecision, indexTimeClaim, planSlice } from './index-core.ts';

export interface IndexHandlerOptions {
  readonly search: SearchClient;
  /** Where the first event time of each re-sendable alert id is kept (Redis). */
  readonly indexTimes: IndexTimeRegistry;
  readonly registryHealthy: () => Promise<boolean>;
}

/**
 * One bulk request per slice (an incident's revisions folded into the newest, planSlice);
 * each item's result decides its record's outcome. The
 * index times are claimed before anything is written: a claim is idempotent, so a
 * slice retried after an outage claims the same times again.
 */
export function createIndexHandler(options: IndexHandlerOptions): StageHandler {
  const { search, indexTimes } = options;
  const guard = createIndexGuard(search);
  return {
    healthy: async () => (await options.registryHealthy()) && (await searchHealthy(search)),
    async handle(records, now) {
      const claims = records.map((r) => indexTimeClaim(r.topic, r.value));
      const claimed = claims.filter((c) => c !== null);
      const times = await indexTimes.claimMany(claimed);
      let nextTime = 0;
      const decisions = records.map((r, i) => indexDecision(r.topic, r.value, now, claims[i] === null ? undefined : times[nextTime++]));
      const { ops, opOf } = planSlice(decisions);
      await guard.ensure(ops.map((op) => op.index));
      const results = await bulkWrite(search, ops);
      return decisions.map((d, i): Outcome => {
        if (d.kind === 'reject') return reject('RECORD_REJECTED', d.message);
        const result = results[opOf[i]!]!;
        if (result.ok) return done();
        if (result.outage) return fail(new VigilError('DEPENDENCY_UNAVAILABLE', `opensearch: ${result.reason}`, { dependency: 'opensearch' }));
        // Retriable but not the cluster's fault (an item 500, a lasting conflict): a few
        // retries, then the DLQ, instead of pausing the partition for ever.
        if (result.retriable) return fail(new VigilError('STORE_OPERATION_FAILED', `opensearch: ${result.reason}`));
        return reject('INDEX_REJECTED', result.reason);
      });
    },
  };
}
