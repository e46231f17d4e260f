import { VigilError } from '@vigil/errors';
import { done, fail, reject, type Outcome, type StageHandler } from '@vigil/kafka';
import { bulkWrite, createIndexGuard, searchHealthy, type BulkOp, type SearchClient } from '@vigil/search';
import { indexDecision } from './index-core.ts';

/** One bulk request per slice; each item's result decides its record's outcome. */
export function createIndexHandler(search: SearchClient): StageHandler {
  const guard = createIndexGuard(search);
  return {
    healthy: () => searchHealthy(search),
    async handle(records, now) {
      const decisions = records.map((r) => indexDecision(r.topic, r.value, now));
      const ops: BulkOp[] = [];
      for (const d of decisions) if (d.kind === 'write') ops.push(d.op);
      await guard.ensure(ops.map((op) => op.index));
      const results = await bulkWrite(search, ops);
      let next = 0;
      return decisions.map((d): Outcome => {
        if (d.kind === 'reject') return reject('RECORD_REJECTED', d.message);
        const result = results[next++]!;
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
