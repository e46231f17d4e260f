import { ALERT_INDEX_PATTERN, INCIDENT_INDEX, searchCall, type SearchClient } from '@vigil/search';

export interface Page<T> {
  readonly total: number;
  readonly items: T[];
}

interface Hits {
  hits: { total: { value: number }; hits: Array<{ _source: Record<string, unknown> }> };
}

/** The two indices the query API reads; index names never come from a request. */
export function createSearchStore(client: SearchClient) {
  async function search(index: string, body: object): Promise<Page<Record<string, unknown>>> {
    const response = await searchCall(() => client.search({ index, body, ignore_unavailable: true, allow_no_indices: true }));
    const hits = (response.body as unknown as Hits).hits;
    return { total: hits.total.value, items: hits.hits.map((h) => h._source) };
  }
  return {
    alerts: (body: object) => search(ALERT_INDEX_PATTERN, body),
    incidents: (body: object) => search(INCIDENT_INDEX, body),
  };
}

export type SearchStore = ReturnType<typeof createSearchStore>;
