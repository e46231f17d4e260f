import { z } from 'zod';
import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import { inTransaction, type Pool } from '@vigil/postgres';
import { parseBody } from '../body-params.ts';
import { addLinks, addNote, addObservable, caseStatuses, createCase, listCases, lockCase, ownIncidentIds, readCase, updateCase, type CaseLinks } from '../case-store.ts';
import { parseParams } from '../search-params.ts';
import type { SearchStore } from '../search-store.ts';
import { ID_PATTERN } from './alert-routes.ts';
import { routeDocs } from './route-docs.ts';

const ids = z.array(z.string().regex(ID_PATTERN, 'must be an id')).max(500);
const linksSchema = z.object({ alert_ids: ids.default([]), incident_ids: ids.default([]) });
const createSchema = linksSchema.extend({ title: z.string().trim().min(1).max(300) }).strict();
const linkSchema = linksSchema.strict().refine((l) => l.alert_ids.length + l.incident_ids.length > 0, { message: 'name alert_ids or incident_ids' });
const patchSchema = z
  .object({ status: z.enum(caseStatuses).optional(), assignee: z.string().min(1).max(256).nullable().optional(), title: z.string().trim().min(1).max(300).optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });
const noteSchema = z.object({ body: z.string().trim().min(1).max(10_000) }).strict();
const observableSchema = z.object({ kind: z.enum(['ip', 'domain', 'url', 'hash', 'host', 'user', 'process', 'email', 'other']), value: z.string().trim().min(1).max(1024) }).strict();
const listSchema = z.object({ status: z.enum(caseStatuses).optional(), size: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const notFound = (id: string) => new VigilError('NOT_FOUND', `no case ${id.slice(0, 64)} for this tenant`);

/**
 * Linked ids must be this tenant's alerts and incidents; anything else is refused as a
 * whole, so a case can never point at (or probe for) another tenant's records.
 */
async function checkLinks(store: SearchStore, pool: Pool, tenant: string, links: CaseLinks): Promise<void> {
  const [alerts, incidents] = await Promise.all([store.ownIds(tenant, 'alerts', links.alert_ids), ownIncidentIds(pool, tenant, links.incident_ids)]);
  const missingAlerts = links.alert_ids.filter((id) => !alerts.has(id));
  const missingIncidents = links.incident_ids.filter((id) => !incidents.has(id));
  if (missingAlerts.length > 0) throw new VigilError('REQUEST_BODY_INVALID', `alert_ids: ${missingAlerts.length} id(s) are not alerts of this tenant`, { path: 'alert_ids' });
  if (missingIncidents.length > 0) throw new VigilError('REQUEST_BODY_INVALID', `incident_ids: ${missingIncidents.length} id(s) are not incidents of this tenant`, { path: 'incident_ids' });
}

export function registerCaseReadRoutes(app: FastifyInstance, pool: Pool): void {
  app.get('/v1/cases', { schema: routeDocs.listCases }, async (request) => {
    const params = parseParams(listSchema, request.query);
    return { items: await listCases(pool, principalOf(request).tenantId, params.status, params.size) };
  });

  app.get('/v1/cases/:id', { schema: routeDocs.getCase }, async (request) => {
    const { id } = request.params as { id: string };
    if (!ID_PATTERN.test(id)) throw notFound(id);
    const found = await readCase(pool, principalOf(request).tenantId, id);
    if (!found) throw notFound(id);
    return found;
  });
}

export function registerCaseWriteRoutes(app: FastifyInstance, store: SearchStore, pool: Pool): void {
  app.post('/v1/cases', { schema: routeDocs.createCase }, async (request, reply) => {
    const { tenantId, subject } = principalOf(request);
    const body = parseBody(createSchema, request.body);
    await checkLinks(store, pool, tenantId, body);
    const id = await inTransaction(pool, (client) => createCase(client, tenantId, subject, body.title, body));
    return reply.status(201).send(await readCase(pool, tenantId, id));
  });

  /** Run one change on a locked case of this tenant, then answer with the whole case. */
  async function change(request: { params: unknown }, tenantId: string, work: (client: Parameters<Parameters<typeof inTransaction>[1]>[0], id: string) => Promise<void>) {
    const { id } = request.params as { id: string };
    if (!ID_PATTERN.test(id)) throw notFound(id);
    await inTransaction(pool, async (client) => {
      if (!(await lockCase(client, tenantId, id))) throw notFound(id);
      await work(client, id);
    });
    return readCase(pool, tenantId, id);
  }

  app.patch('/v1/cases/:id', { schema: routeDocs.patchCase }, async (request) => {
    const { tenantId, subject } = principalOf(request);
    const body = parseBody(patchSchema, request.body);
    return change(request, tenantId, (client, id) => updateCase(client, tenantId, id, subject, body));
  });

  app.post('/v1/cases/:id/notes', { schema: routeDocs.addNote }, async (request) => {
    const { tenantId, subject } = principalOf(request);
    const body = parseBody(noteSchema, request.body);
    return change(request, tenantId, (client, id) => addNote(client, tenantId, id, subject, body.body));
  });

  app.post('/v1/cases/:id/observables', { schema: routeDocs.addObservable }, async (request) => {
    const { tenantId, subject } = principalOf(request);
    const body = parseBody(observableSchema, request.body);
    return change(request, tenantId, async (client, id) => void (await addObservable(client, tenantId, id, subject, body.kind, body.value)));
  });

  app.post('/v1/cases/:id/links', { schema: routeDocs.addLinks }, async (request) => {
    const { tenantId, subject } = principalOf(request);
    const body = parseBody(linkSchema, request.body);
    await checkLinks(store, pool, tenantId, body);
    return change(request, tenantId, async (client, id) => void (await addLinks(client, tenantId, id, subject, body)));
  });
}
