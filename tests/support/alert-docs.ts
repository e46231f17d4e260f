import { ALERT_INDEX_PATTERN } from '@vigil/search';
import { stackEnv } from './stack-env.ts';
import { waitFor } from './wait.ts';

const OPENSEARCH = stackEnv['OPENSEARCH_URL']!;

export interface AlertDoc {
  readonly id: string;
  readonly index: string;
  readonly eventTime: number;
}

/**
 * Every alert document of a tenant in every daily index, read after a refresh, so
 * counts are exact: "exactly once" means one document per id across all indices.
 */
export async function alertDocsOf(tenant: string): Promise<AlertDoc[]> {
  await fetch(`${OPENSEARCH}/${ALERT_INDEX_PATTERN}/_refresh`, { method: 'POST' });
  const response = await fetch(`${OPENSEARCH}/${ALERT_INDEX_PATTERN}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 10_000, _source: ['event_time'], query: { bool: { filter: [{ term: { tenant_id: tenant } }] } } }),
  });
  if (!response.ok) throw new Error(`search of ${tenant}'s alerts answered ${response.status}`);
  const body = (await response.json()) as { hits: { hits: { _id: string; _index: string; _source: { event_time?: number } }[] } };
  return body.hits.hits.map((h) => ({ id: h._id, index: h._index, eventTime: h._source.event_time ?? Number.NaN }));
}

/** How many documents each id has (ids with none are absent). */
export function copiesById(docs: readonly AlertDoc[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const doc of docs) copies.set(doc.id, (copies.get(doc.id) ?? 0) + 1);
  return copies;
}

/** Once at least `count` documents of the tenant are searchable: how many documents each id has. */
export async function copiesOnceIndexed(tenant: string, count: number, timeoutMs = 120_000): Promise<Map<string, number>> {
  const docs = await waitFor(async () => {
    const found = await alertDocsOf(tenant);
    return found.length >= count ? found : undefined;
  }, timeoutMs);
  return copiesById(docs);
}
