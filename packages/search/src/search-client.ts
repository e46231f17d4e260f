import { Client } from '@opensearch-project/opensearch';
import { dependencyUnavailable, isSearchOutage } from '@vigil/errors';

export type SearchClient = Client;

export function createSearchClient(url: string): SearchClient {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 1, compression: 'gzip' });
}

/** Connection failures and 429/5xx from the cluster are outages, not bad records (see @vigil/errors failure-cause). */
export const isOutage = isSearchOutage;

export async function searchCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isOutage(err)) throw dependencyUnavailable('opensearch', err);
    throw err;
  }
}

export async function searchHealthy(client: SearchClient): Promise<boolean> {
  try {
    const res = await client.cluster.health({ timeout: '1s' });
    return res.body.status !== 'red';
  } catch {
    return false;
  }
}
