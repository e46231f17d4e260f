import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import { alertSearchBody, byIdBody, incidentSearchBody } from '../query-builder.ts';
import { alertSearchSchema, incidentSearchSchema, parseParams } from '../search-params.ts';
import type { SearchStore } from '../search-store.ts';

/** Ids are UUIDs; anything else cannot exist and is answered without a query. */
const ID_PATTERN = /^[0-9a-f-]{36}$/i;

function presentAlert(doc: Record<string, unknown>): Record<string, unknown> {
  // The raw original can carry secrets from the sensor; it is shown only on the detail view.
  const { raw: _raw, ...rest } = doc;
  return rest;
}

export function registerAlertRoutes(app: FastifyInstance, store: SearchStore): void {
  app.get('/v1/alerts', async (request) => {
    const tenant = principalOf(request).tenantId;
    const params = parseParams(alertSearchSchema, request.query);
    const page = await store.alerts(alertSearchBody(tenant, params));
    return { total: page.total, offset: params.offset, size: params.size, items: page.items.map(presentAlert) };
  });

  app.get('/v1/alerts/:id', async (request) => {
    const tenant = principalOf(request).tenantId;
    const { id } = request.params as { id: string };
    // Same answer for "does not exist" and "belongs to another tenant" (invariant I2).
    const notFound = new VigilError('NOT_FOUND', `no alert ${id.slice(0, 64)} for this tenant`);
    if (!ID_PATTERN.test(id)) throw notFound;
    const page = await store.alerts(byIdBody(tenant, id));
    const doc = page.items[0];
    if (!doc) throw notFound;
    return doc;
  });
}

export function registerIncidentRoutes(app: FastifyInstance, store: SearchStore): void {
  app.get('/v1/incidents', async (request) => {
    const tenant = principalOf(request).tenantId;
    const params = parseParams(incidentSearchSchema, request.query);
    const page = await store.incidents(incidentSearchBody(tenant, params));
    return { total: page.total, offset: params.offset, size: params.size, items: page.items };
  });

  app.get('/v1/incidents/:id', async (request) => {
    const tenant = principalOf(request).tenantId;
    const { id } = request.params as { id: string };
    const notFound = new VigilError('NOT_FOUND', `no incident ${id.slice(0, 64)} for this tenant`);
    if (!ID_PATTERN.test(id)) throw notFound;
    const page = await store.incidents({ query: { bool: { filter: [{ term: { tenant_id: tenant } }, { term: { id } }] } }, size: 1 });
    const doc = page.items[0];
    if (!doc) throw notFound;
    return doc;
  });
}
