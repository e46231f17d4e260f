import type { Alert } from '@vigil/contracts';
import { ALERT_INDEX_PATTERN } from './index-names.ts';
import { searchCall, type SearchClient } from './search-client.ts';

export interface AlertScan {
  readonly tenantId: string;
  /** Event-time range, epoch ms, both inclusive. */
  readonly from: number;
  readonly to: number;
  readonly pageSize: number;
  /** How long the point in time lives between two pages. */
  readonly keepAlive?: string;
}

interface Hit {
  _source: Record<string, unknown>;
  sort: unknown[];
}

/** The tenant filter first, always; stubs of duplicate notices (no event time yet) are not alerts. */
function queryOf(scan: AlertScan): object {
  return {
    bool: {
      filter: [
        { term: { tenant_id: scan.tenantId } },
        { range: { event_time: { gte: scan.from, lte: scan.to, format: 'epoch_millis' } } },
        { exists: { field: 'rule_id' } },
      ],
    },
  };
}

/** How many alerts a scan will read (for progress). */
export async function countAlerts(client: SearchClient, scan: AlertScan): Promise<number> {
  const response = await searchCall(() => client.count({ index: ALERT_INDEX_PATTERN, ignore_unavailable: true, allow_no_indices: true, body: { query: queryOf(scan) } }));
  return (response.body as { count: number }).count;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** An indexed alert document back as the alert the pipeline carried (indexer-only fields dropped). */
export function alertOfDocument(doc: Record<string, unknown>): Alert {
  return {
    id: String(doc['id']),
    tenant_id: String(doc['tenant_id']),
    source_format: doc['source_format'] as Alert['source_format'],
    source_product: str(doc['source_product']),
    sensor_id: str(doc['sensor_id']),
    original_id: str(doc['original_id']),
    rule_id: String(doc['rule_id']),
    rule_name: String(doc['rule_name'] ?? ''),
    rule_category: str(doc['rule_category']),
    severity: doc['severity'] as Alert['severity'],
    severity_score: num(doc['severity_score']) ?? 0,
    event_time: Number(doc['event_time']),
    received_time: Number(doc['received_time'] ?? doc['event_time']),
    src_ip: str(doc['src_ip']),
    src_port: num(doc['src_port']),
    dst_ip: str(doc['dst_ip']),
    dst_port: num(doc['dst_port']),
    protocol: str(doc['protocol']),
    host: str(doc['host']),
    user_name: str(doc['user_name']),
    process: str(doc['process']),
    file_hash: str(doc['file_hash']),
    domain: str(doc['domain']),
    url: str(doc['url']),
    labels: (doc['labels'] as Record<string, string> | undefined) ?? {},
    raw: null,
    fingerprint: str(doc['fingerprint']),
    dedup_count: num(doc['dedup_count']) ?? 1,
    first_seen: num(doc['first_seen']),
    last_seen: num(doc['last_seen']),
  };
}

/**
 * A tenant's stored alerts in event-time order (ties by id), page by page, from one
 * point in time: alerts indexed while the scan runs neither appear half-way nor shift
 * pages, and `search_after` keeps every page as cheap as the first (no deep offsets).
 */
export async function* scanAlerts(client: SearchClient, scan: AlertScan): AsyncGenerator<Alert[]> {
  const keepAlive = scan.keepAlive ?? '2m';
  if ((await countAlerts(client, scan)) === 0) return;
  const pit = await searchCall(() => client.createPit({ index: ALERT_INDEX_PATTERN, keep_alive: keepAlive }));
  let pitId = (pit.body as { pit_id: string }).pit_id;
  try {
    let after: unknown[] | undefined;
    for (;;) {
      const body = { size: scan.pageSize, query: queryOf(scan), sort: [{ event_time: 'asc' }, { id: 'asc' }], pit: { id: pitId, keep_alive: keepAlive }, _source: { excludes: ['raw'] }, ...(after ? { search_after: after } : {}) };
      const response = await searchCall(() => client.search({ body }));
      const result = response.body as unknown as { pit_id?: string; hits: { hits: Hit[] } };
      if (result.pit_id) pitId = result.pit_id;
      const hits = result.hits.hits;
      if (hits.length === 0) return;
      yield hits.map((h) => alertOfDocument(h._source));
      if (hits.length < scan.pageSize) return;
      after = hits[hits.length - 1]!.sort;
    }
  } finally {
    await client.deletePit({ body: { pit_id: [pitId] } }).catch(() => undefined);
  }
}
