import { ALERT_INDEX_PATTERN, INCIDENT_INDEX } from './index-names.ts';
import { layoutOfTemplate, type IndexLayout } from './index-layout.ts';
import type { SearchClient } from './search-client.ts';

const keyword = { type: 'keyword', ignore_above: 1024 };
const date = { type: 'date', format: 'epoch_millis' };

/** Mappings are strict: an unexpected field is a bug upstream, not something to index blindly. */
export const alertMappings = {
  dynamic: 'strict',
  properties: {
    id: keyword,
    tenant_id: { type: 'keyword' },
    source_format: keyword,
    source_product: keyword,
    sensor_id: keyword,
    original_id: keyword,
    rule_id: keyword,
    rule_name: { type: 'text', fields: { keyword } },
    rule_category: keyword,
    severity: keyword,
    severity_score: { type: 'integer' },
    event_time: date,
    received_time: date,
    src_ip: { type: 'ip' },
    src_port: { type: 'integer' },
    dst_ip: { type: 'ip' },
    dst_port: { type: 'integer' },
    protocol: keyword,
    host: keyword,
    user_name: keyword,
    process: keyword,
    file_hash: keyword,
    domain: keyword,
    url: keyword,
    labels: { type: 'flat_object' },
    raw: { type: 'text', index: false },
    fingerprint: keyword,
    dedup_count: { type: 'integer' },
    first_seen: date,
    last_seen: date,
    indexed_at: date,
  },
} as const;

export const incidentMappings = {
  dynamic: 'strict',
  properties: {
    id: keyword,
    tenant_id: { type: 'keyword' },
    revision: { type: 'long' },
    rule_id: keyword,
    rule_name: { type: 'text', fields: { keyword } },
    group_key: keyword,
    status: keyword,
    severity: keyword,
    alert_count: { type: 'integer' },
    alert_ids: keyword,
    window_start: date,
    window_end: date,
    first_seen: date,
    last_seen: date,
    updated_at: date,
    rule_version: { type: 'integer' },
    group_values: { type: 'object', dynamic: true },
    tags: keyword,
    assignee: keyword,
  },
  dynamic_templates: [{ group_values_as_keywords: { path_match: 'group_values.*', mapping: keyword } }],
} as const;

/**
 * How soon a written document is searchable. OpenSearch's default (1 s) alone put the
 * 202 → searchable p99 above a second (an alert waits up to a whole interval after the
 * pipeline's ~100 ms); at 500 ms analysts see an alert within ~0.6 s at p99, for twice the
 * refreshes, which cost little next to indexing at this project's rates (docs/benchmarks.md).
 */
export const REFRESH_INTERVAL = '500ms';

const ALERT_TEMPLATE = 'vigil-alerts';

/** The layout the alert template carries now (the default when there is none yet). */
async function currentLayout(client: SearchClient): Promise<IndexLayout> {
  const found = await client.indices.getIndexTemplate({ name: ALERT_TEMPLATE }).catch((err: unknown) => {
    if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return null;
    throw err;
  });
  const templates = (found?.body as { index_templates?: Array<{ index_template?: { template?: { settings?: Parameters<typeof layoutOfTemplate>[0] } } }> } | undefined)?.index_templates;
  return layoutOfTemplate(templates?.[0]?.index_template?.template?.settings);
}

/**
 * Idempotent: put the alert index template and create the incident index if missing.
 * Provisioning passes the deployment's layout (shards, replicas); a service re-asserting
 * the templates passes none and keeps the layout the template already has.
 */
export async function ensureIndexTemplates(client: SearchClient, layout?: IndexLayout): Promise<void> {
  const { shards, replicas } = layout ?? (await currentLayout(client));
  const settings = { number_of_shards: shards, number_of_replicas: replicas, refresh_interval: REFRESH_INTERVAL };
  await client.indices.putIndexTemplate({
    name: ALERT_TEMPLATE,
    body: { index_patterns: [ALERT_INDEX_PATTERN], template: { settings, mappings: alertMappings }, priority: 100 },
  });
  await createIndexIfMissing(client, INCIDENT_INDEX, { settings, mappings: incidentMappings });
  // Both are dynamic settings: indices made before a change follow them too (the shard
  // count is fixed per index: a new one applies from the next daily index on).
  await client.indices.putSettings({ index: `${ALERT_INDEX_PATTERN},${INCIDENT_INDEX}`, allow_no_indices: true, body: { index: { refresh_interval: REFRESH_INTERVAL, number_of_replicas: replicas } } });
  // An index made by an earlier version lacks newer fields; adding fields is allowed in place.
  const { dynamic: _strict, ...additive } = incidentMappings;
  await client.indices.putMapping({ index: INCIDENT_INDEX, body: additive });
}

/** Create an index unless it exists; losing the race to another process is fine. */
export async function createIndexIfMissing(client: SearchClient, index: string, body?: object): Promise<void> {
  const exists = await client.indices.exists({ index });
  if (exists.body) return;
  await client.indices.create({ index, ...(body ? { body } : {}) }).catch((err: unknown) => {
    if ((err as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type !== 'resource_already_exists_exception') throw err;
  });
}
