import type { AlertSearch, IncidentSearch } from './search-params.ts';

/**
 * Pure builders of OpenSearch request bodies. The tenant filter is always the first
 * clause of bool.filter and user input only ever becomes values inside other clauses:
 * no user DSL, no scripts, no aggregations, no index names from the request.
 */
type Clause = Record<string, unknown>;

const tenantFilter = (tenant: string): Clause => ({ term: { tenant_id: tenant } });

// simple_query_string cannot run scripts or reach other indices; lenient keeps text
// like "evil.com" from failing against ip and numeric fields.
const freeTextFields = ['rule_name', 'rule_id', 'rule_category', 'host', 'user_name', 'process', 'domain', 'url', 'file_hash', 'source_product', 'sensor_id'];

export function alertSearchBody(tenant: string, p: AlertSearch): object {
  const filter: Clause[] = [tenantFilter(tenant), { exists: { field: 'rule_id' } }];
  if (p.severity) filter.push({ term: { severity: p.severity } });
  if (p.rule_id) filter.push({ term: { rule_id: p.rule_id } });
  if (p.src_ip) filter.push({ term: { src_ip: p.src_ip } });
  if (p.dst_ip) filter.push({ term: { dst_ip: p.dst_ip } });
  if (p.host) filter.push({ term: { host: p.host } });
  if (p.from !== undefined || p.to !== undefined) {
    filter.push({ range: { event_time: { ...(p.from !== undefined ? { gte: p.from } : {}), ...(p.to !== undefined ? { lte: p.to } : {}) } } });
  }
  const must: Clause[] = p.q ? [{ simple_query_string: { query: p.q, fields: freeTextFields, default_operator: 'and', lenient: true } }] : [];
  return {
    query: { bool: { filter, must } },
    sort: [{ event_time: { order: 'desc' } }, { id: { order: 'asc' } }],
    from: p.offset,
    size: p.size,
    track_total_hits: true,
  };
}

export function byIdBody(tenant: string, id: string): object {
  return { query: { bool: { filter: [tenantFilter(tenant), { term: { id } }, { exists: { field: 'rule_id' } }] } }, size: 1 };
}

export function incidentSearchBody(tenant: string, p: IncidentSearch): object {
  const filter: Clause[] = [tenantFilter(tenant)];
  if (p.status) filter.push({ term: { status: p.status } });
  return { query: { bool: { filter } }, sort: [{ last_seen: { order: 'desc' } }, { id: { order: 'asc' } }], from: p.offset, size: p.size, track_total_hits: true };
}
