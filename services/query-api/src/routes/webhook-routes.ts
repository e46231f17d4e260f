import { z } from 'zod';
import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import type { Pool } from '@vigil/postgres';
import type { DeliveryState, WebhookQueue } from '@vigil/redis';
import { parseBody } from '../body-params.ts';
import { parseParams } from '../search-params.ts';
import { webhookEvents, webhookFormats } from '../webhooks/webhook-payload.ts';
import { createWebhook, deleteWebhook, listWebhooks, readWebhook, rotateSecret, updateWebhook } from '../webhooks/webhook-store.ts';
import { checkWebhookUrl, type Resolver } from '../webhooks/webhook-url.ts';
import { ID_PATTERN } from './alert-routes.ts';
import { routeDocs } from './route-docs.ts';

const url = z.string().trim().min(1).max(2048);
const events = z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length).transform((e) => [...new Set(e)]);
const createSchema = z.object({ url, format: z.enum(webhookFormats).default('generic'), events: events.default([...webhookEvents]) }).strict();
const patchSchema = z
  .object({ url: url.optional(), format: z.enum(webhookFormats).optional(), events: events.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });
const deliveriesSchema = z.object({ state: z.enum(['pending', 'delivered', 'dead']).optional(), size: z.coerce.number().int().min(1).max(200).default(50) }).strict();

/** Webhooks per tenant: more is refused, so one tenant cannot fan a notification out without bound. */
const MAX_WEBHOOKS = 20;

const notFound = (id: string) => new VigilError('NOT_FOUND', `no webhook ${id.slice(0, 64)} for this tenant`);

export interface WebhookRouteDeps {
  readonly pool: Pool;
  readonly queue: WebhookQueue;
  readonly allowPrivate: boolean;
  readonly resolve: Resolver;
}

/** CRUD of a tenant's webhooks and their recent deliveries (webhooks:write, docs/query-api.md). */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const { pool } = deps;
  const idOf = (request: { params: unknown }) => {
    const { id } = request.params as { id: string };
    if (!ID_PATTERN.test(id)) throw notFound(id);
    return id;
  };
  const found = <T>(id: string, value: T | null): T => {
    if (value === null) throw notFound(id);
    return value;
  };

  app.post('/v1/webhooks', { schema: routeDocs.createWebhook }, async (request, reply) => {
    const { tenantId, subject } = principalOf(request);
    const body = parseBody(createSchema, request.body);
    const checked = await checkWebhookUrl(body.url, deps.allowPrivate, deps.resolve);
    if ((await listWebhooks(pool, tenantId)).length >= MAX_WEBHOOKS) throw new VigilError('REQUEST_BODY_INVALID', `a tenant has at most ${MAX_WEBHOOKS} webhooks`);
    return reply.status(201).send(await createWebhook(pool, tenantId, subject, { ...body, url: checked.href }));
  });

  app.get('/v1/webhooks', { schema: routeDocs.listWebhooks }, async (request) => ({ items: await listWebhooks(pool, principalOf(request).tenantId) }));

  app.get('/v1/webhooks/:id', { schema: routeDocs.getWebhook }, async (request) => {
    const id = idOf(request);
    return found(id, await readWebhook(pool, principalOf(request).tenantId, id));
  });

  app.patch('/v1/webhooks/:id', { schema: routeDocs.patchWebhook }, async (request) => {
    const id = idOf(request);
    const body = parseBody(patchSchema, request.body);
    const checked = body.url === undefined ? undefined : (await checkWebhookUrl(body.url, deps.allowPrivate, deps.resolve)).href;
    return found(id, await updateWebhook(pool, principalOf(request).tenantId, id, { ...body, url: checked }));
  });

  app.post('/v1/webhooks/:id/rotate-secret', { schema: routeDocs.rotateWebhookSecret }, async (request) => {
    const id = idOf(request);
    return { id, secret: found(id, await rotateSecret(pool, principalOf(request).tenantId, id)) };
  });

  app.delete('/v1/webhooks/:id', { schema: routeDocs.deleteWebhook }, async (request, reply) => {
    const id = idOf(request);
    if (!(await deleteWebhook(pool, principalOf(request).tenantId, id))) throw notFound(id);
    return reply.status(204).send();
  });

  app.get('/v1/webhooks/:id/deliveries', { schema: routeDocs.webhookDeliveries }, async (request) => {
    const id = idOf(request);
    const { tenantId } = principalOf(request);
    const params = parseParams(deliveriesSchema, request.query);
    found(id, await readWebhook(pool, tenantId, id));
    const states: DeliveryState[] = params.state ? [params.state] : ['pending', 'delivered', 'dead'];
    return { items: (await deps.queue.list(tenantId, id, states, params.size)).slice(0, params.size) };
  });
}
