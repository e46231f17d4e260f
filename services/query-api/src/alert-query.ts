import type { AlertFilters } from './alert-filters.ts';

/**
 * Pure translation of validated filters into OpenSearch clauses. The tenant filter is
 * always the first clause of bool.filter; user input is only ever a value inside a
 * term/terms/range clause or the text of a simple_query_string with a fixed field list
 * and flags, so it cannot name a field, an index, a script or an aggregation.
 */
export type Clause = Record<string, unknown>;

export const tenantFilter = (tenant: string): Clause => ({ term: { tenant_id: tenant } });

// Free text searches these fields only; tenant_id and raw are not among them.
export const FREE_TEXT_FIELDS = ['rule_name', 'rule_id', 'rule_category', 'host', 'user_name', 'process', 'domain', 'url', 'file_hash', 'source_product', 'sensor_id'] as const;
// simple_query_string operators only: no fuzzy, regexp, slop, near, escape of field syntax.
export const FREE_TEXT_FLAGS = 'AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE';

const terms = (field: string, values: readonly unknown[] | undefined): Clause[] => (values && values.length > 0 ? [{ terms: { [field]: values } }] : []);
const either = (a: string, b: string, values: readonly unknown[] | undefined): Clause[] =>
  values && values.length > 0 ? [{ bool: { should: [{ terms: { [a]: values } }, { terms: { [b]: values } }], minimum_should_match: 1 } }] : [];

/** `incidentAlertIds`: the member ids of `f.incident_id`, looked up tenant-scoped by the caller. */
export function alertFilterClauses(tenant: string, f: AlertFilters, incidentAlertIds: readonly string[] | null): Clause[] {
  const filter: Clause[] = [tenantFilter(tenant), { exists: { field: 'rule_id' } }];
  filter.push(
    ...terms('severity', f.severity),
    ...terms('source_format', f.source_format),
    ...terms('source_product', f.source_product),
    ...terms('rule_id', f.rule_id),
    ...terms('sensor_id', f.sensor_id),
    ...terms('src_ip', f.src_ip),
    ...terms('dst_ip', f.dst_ip),
    ...either('src_ip', 'dst_ip', f.ip),
    ...terms('src_port', f.src_port),
    ...terms('dst_port', f.dst_port),
    ...either('src_port', 'dst_port', f.port),
    ...terms('protocol', f.protocol),
    ...terms('host', f.host),
    ...terms('user_name', f.user),
    ...terms('process', f.process),
    ...terms('file_hash', f.hash),
    ...terms('domain', f.domain),
    ...terms('url', f.url),
  );
  for (const l of f.label ?? []) {
    const at = l.indexOf(':');
    filter.push({ term: { [`labels.${l.slice(0, at)}`]: l.slice(at + 1) } });
  }
  if (f.min_dedup_count !== undefined) filter.push({ range: { dedup_count: { gte: f.min_dedup_count } } });
  // An incident with no members visible to this tenant matches nothing, not everything.
  if (incidentAlertIds !== null) filter.push({ terms: { id: incidentAlertIds.length > 0 ? [...incidentAlertIds] : ['-'] } });
  if (f.from !== undefined || f.to !== undefined) {
    filter.push({ range: { event_time: { ...(f.from !== undefined ? { gte: f.from } : {}), ...(f.to !== undefined ? { lte: f.to } : {}) } } });
  }
  return filter;
}

export function freeTextClauses(q: string | undefined): Clause[] {
  if (!q || q.trim() === '') return [];
  return [{ simple_query_string: { query: q, fields: [...FREE_TEXT_FIELDS], default_operator: 'and', lenient: true, flags: FREE_TEXT_FLAGS, analyze_wildcard: false } }];
}

export function alertQuery(tenant: string, f: AlertFilters, incidentAlertIds: readonly string[] | null): Clause {
  return { bool: { filter: alertFilterClauses(tenant, f, incidentAlertIds), must: freeTextClauses(f.q) } };
}
