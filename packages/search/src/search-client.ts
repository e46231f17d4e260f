import { Client, type ClientOptions } from '@opensearch-project/opensearch';
import type { HttpStoreConnection } from '@vigil/config';
import { dependencyUnavailable, isSearchOutage } from '@vigil/errors';

export type SearchClient = Client;

/**
 * The client's connection options: basic auth (from the URL or the variables, see
 * `loadStoreConnections`) and, over https, a verified chain against the configured CA.
 * A plain URL (tests, tools) keeps whatever credentials it carries.
 */
export function searchClientOptions(target: string | HttpStoreConnection): ClientOptions {
  const base: ClientOptions = { requestTimeout: 30_000, maxRetries: 1, compression: 'gzip' };
  if (typeof target === 'string') return { ...base, node: target };
  return {
    ...base,
    node: target.url,
    ...(target.auth ? { auth: { username: target.auth.username, password: target.auth.password } } : {}),
    ...(target.tls ? { ssl: { rejectUnauthorized: true, ...(target.tls.ca === undefined ? {} : { ca: target.tls.ca }) } } : {}),
  };
}

export function createSearchClient(target: string | HttpStoreConnection): SearchClient {
  return new Client(searchClientOptions(target));
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
