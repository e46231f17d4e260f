import type { IncidentSearch } from './search-params.ts';
import { tenantFilter, type Clause } from './alert-query.ts';

/** Incident list query: tenant first in bool.filter, then only validated values. */
export function incidentQuery(tenant: string, p: IncidentSearch): Clause {
  const filter: Clause[] = [tenantFilter(tenant)];
  if (p.status) filter.push({ terms: { status: p.status } });
  if (p.severity) filter.push({ terms: { severity: p.severity } });
  if (p.rule_id) filter.push({ terms: { rule_id: p.rule_id } });
  if (p.assignee) filter.push({ term: { assignee: p.assignee } });
  if (p.unassigned) filter.push({ bool: { must_not: [{ exists: { field: 'assignee' } }] } });
  if (p.from !== undefined || p.to !== undefined) {
    filter.push({ range: { last_seen: { ...(p.from !== undefined ? { gte: p.from } : {}), ...(p.to !== undefined ? { lte: p.to } : {}) } } });
  }
  return { bool: { filter } };
}

export function byIdFilter(tenant: string, id: string, alert: boolean): Clause[] {
  return [tenantFilter(tenant), { term: { id } }, ...(alert ? [{ exists: { field: 'rule_id' } }] : [])];
}
