import { dependencyUnavailable, isSearchOutageStatus } from '@vigil/errors';
import { isOutage, type SearchClient } from './search-client.ts';

/**
 * The two idempotent writes Vigil makes. Neither needs a script (the local OpenSearch
 * has no Painless): absolute values merged by _id, or whole documents ordered by an
 * external version.
 */
export type BulkOp =
  /** Merge `doc` into the document, or create it as `upsert` if it is missing. */
  | { readonly kind: 'merge'; readonly index: string; readonly id: string; readonly doc: object; readonly upsert: object }
  /** Replace the document unless a newer (or the same) version is already stored. */
  | { readonly kind: 'versioned'; readonly index: string; readonly id: string; readonly version: number; readonly doc: object };

/**
 * `retriable`: the same write may succeed later. `outage`: the cluster is throttling or
 * unavailable (429/502/503/504), as opposed to a failure of this one item (a 500, a
 * conflict that outlived retry_on_conflict), which is retried a few times and then
 * dead-lettered rather than pausing the stage for ever.
 */
export type BulkItemResult = { readonly ok: true } | { readonly ok: false; readonly retriable: boolean; readonly outage: boolean; readonly reason: string };

export interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string };
}

/** How one item of a bulk response decides its record: done, retry later, or dead letter. */
export function itemResult(op: BulkOp, item: BulkItem | undefined): BulkItemResult {
  if (!item) return { ok: false, retriable: true, outage: false, reason: 'no item in bulk response' };
  if (item.status >= 200 && item.status < 300) return { ok: true };
  // An older or equal external version is already there: this write is a replay.
  if (item.status === 409 && op.kind === 'versioned') return { ok: true };
  const reason = `${item.error?.type ?? 'error'}: ${item.error?.reason ?? `status ${item.status}`}`.slice(0, 500);
  const retriable = item.status === 409 || item.status === 429 || item.status >= 500;
  return { ok: false, retriable, outage: isSearchOutageStatus(item.status), reason };
}

/** Send one bulk request and report each item on its own: one bad doc never fails the rest. */
export async function bulkWrite(client: SearchClient, ops: readonly BulkOp[]): Promise<BulkItemResult[]> {
  if (ops.length === 0) return [];
  const body: object[] = [];
  for (const op of ops) {
    if (op.kind === 'merge') {
      body.push({ update: { _index: op.index, _id: op.id, retry_on_conflict: 5 } }, { doc: op.doc, upsert: op.upsert });
    } else {
      body.push({ index: { _index: op.index, _id: op.id, version: op.version, version_type: 'external' } }, op.doc);
    }
  }
  let items: Record<string, BulkItem>[];
  try {
    const response = await client.bulk({ body, refresh: false });
    items = (response.body as { items: Record<string, BulkItem>[] }).items;
  } catch (err) {
    if (isOutage(err)) throw dependencyUnavailable('opensearch', err);
    throw err;
  }
  return ops.map((op, i) => {
    const entry = items[i];
    return itemResult(op, entry ? Object.values(entry)[0] : undefined);
  });
}
