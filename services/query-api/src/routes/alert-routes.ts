import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import { readMembers, type MemberCursor } from '@vigil/incident-store';
import type { Pool } from '@vigil/postgres';
import { aggregationBody, aggregationSchema, effectiveRange, presentAggregations } from '../aggregations.ts';
import { alertQuery } from '../alert-query.ts';
import { queryHash } from '../cursor.ts';
import { byIdFilter } from '../query-builder.ts';
import { alertSearchSchema, alertSortOf, boundParams, parseParams } from '../search-params.ts';
import type { SearchStore } from '../search-store.ts';
import { routeDocs } from './route-docs.ts';

/** Ids are UUIDs; anything else cannot exist and is answered without a query. */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// An incident filter resolves to at most this many member ids (Postgres, tenant-scoped).
const MAX_INCIDENT_MEMBERS = 1_000;

function presentAlert(doc: Record<string, unknown>): Record<string, unknown> {
  // The raw original can carry secrets from the sensor; it is shown only on the detail view.
  const { raw: _raw, ...rest } = doc;
  return rest;
}

async function incidentMembers(pool: Pool, tenant: string, incidentId: string | undefined): Promise<string[] | null> {
  if (incidentId === undefined) return null;
  const rows = await readMembers(pool, tenant, incidentId, MAX_INCIDENT_MEMBERS, null as MemberCursor | null);
  return rows.map((r) => r.alert_id);
}

export function registerAlertRoutes(app: FastifyInstance, store: SearchStore, pool: Pool): void {
  app.get('/v1/alerts', { schema: routeDocs.searchAlerts }, async (request) => {
    const tenant = principalOf(request).tenantId;
    const params = parseParams(alertSearchSchema, request.query);
    const members = await incidentMembers(pool, tenant, params.incident_id);
    const page = await store.page({
      tenant,
      kind: 'alerts',
      query: alertQuery(tenant, params, members),
      sort: alertSortOf(params.sort),
      size: params.size,
      queryHash: queryHash(boundParams(params)),
      cursor: params.cursor,
      now: Date.now(),
    });
    return { total: page.total, size: params.size, items: page.items.map(presentAlert), ...(page.next_cursor ? { next_cursor: page.next_cursor } : {}) };
  });

  app.get('/v1/alerts/aggregations', { schema: routeDocs.aggregateAlerts }, async (request) => {
    const tenant = principalOf(request).tenantId;
    const params = parseParams(aggregationSchema, request.query);
    const range = effectiveRange(params, Date.now());
    const members = await incidentMembers(pool, tenant, params.incident_id);
    const result = await store.aggregate('alerts', alertQuery(tenant, { ...params, ...range }, members), aggregationBody(params, range));
    return { total: result.total, from: range.from, to: range.to, aggregations: presentAggregations(result.aggregations) };
  });

  app.get('/v1/alerts/:id', { schema: routeDocs.getAlert }, async (request) => {
    const tenant = principalOf(request).tenantId;
    const { id } = request.params as { id: string };
    // Same answer for "does not exist" and "belongs to another tenant" (invariant I2).
    const notFound = new VigilError('NOT_FOUND', `no alert ${id.slice(0, 64)} for this tenant`);
    if (!ID_PATTERN.test(id)) throw notFound;
    const doc = await store.one(tenant, 'alerts', byIdFilter(tenant, id, true));
    if (!doc) throw notFound;
    return doc;
  });
}
