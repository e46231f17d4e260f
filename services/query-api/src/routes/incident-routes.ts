import { z } from 'zod';
import { topics } from '@vigil/contracts';
import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import { changeIncident, readIncidentRecord, readMembers, readRuleVersion, readTimeline, type IncidentAction } from '@vigil/incident-store';
import { inTransaction, type Pool } from '@vigil/postgres';
import { parseBody } from '../body-params.ts';
import { queryHash, type CursorCodec } from '../cursor.ts';
import { byIdFilter, incidentQuery } from '../query-builder.ts';
import { boundParams, incidentSearchSchema, incidentSortOf, parseParams } from '../search-params.ts';
import type { SearchStore } from '../search-store.ts';
import { ID_PATTERN } from './alert-routes.ts';
import { routeDocs } from './route-docs.ts';

const MAX_ALERT_IDS = 100;
const TIMELINE_LIMIT = 500;
const MEMBER_CURSOR_TTL_MS = 3_600_000;

const detailSchema = z
  .object({ members_size: z.coerce.number().int().min(1).max(200).default(50), members_cursor: z.string().min(1).max(2048).optional() })
  .strict();

const actionBodies = {
  assign: z.object({ assignee: z.string().min(1).max(256).nullable() }).strict(),
  acknowledge: z.object({}).strict(),
  close: z.object({ reason: z.string().trim().min(1).max(2000) }).strict(),
  reopen: z.object({}).strict(),
} as const;

function notFound(id: string): VigilError {
  return new VigilError('NOT_FOUND', `no incident ${id.slice(0, 64)} for this tenant`);
}

export function registerIncidentReadRoutes(app: FastifyInstance, store: SearchStore, pool: Pool, codec: CursorCodec): void {
  app.get('/v1/incidents', { schema: routeDocs.searchIncidents }, async (request) => {
    const tenant = principalOf(request).tenantId;
    const params = parseParams(incidentSearchSchema, request.query);
    const page = await store.page({
      tenant,
      kind: 'incidents',
      query: incidentQuery(tenant, params),
      sort: incidentSortOf(params.sort),
      size: params.size,
      queryHash: queryHash(boundParams(params)),
      cursor: params.cursor,
      now: Date.now(),
    });
    return { total: page.total, size: params.size, items: page.items, ...(page.next_cursor ? { next_cursor: page.next_cursor } : {}) };
  });

  app.get('/v1/incidents/:id', { schema: routeDocs.getIncident }, async (request) => {
    const tenant = principalOf(request).tenantId;
    const { id } = request.params as { id: string };
    if (!ID_PATTERN.test(id)) throw notFound(id);
    const params = parseParams(detailSchema, request.query);
    const now = Date.now();
    const after = params.members_cursor ? codec.decode(params.members_cursor, { tenant, kind: 'members', queryHash: id, now }) : null;
    const doc = await store.one(tenant, 'incidents', byIdFilter(tenant, id, false));
    const record = await readIncidentRecord(pool, tenant, id);
    if (!doc || !record) throw notFound(id);
    const seen = after?.seen ?? 0;
    const rows = await readMembers(pool, tenant, id, params.members_size + 1, after ? { t: Number(after.sa[0]), id: String(after.sa[1]) } : null);
    const shown = rows.slice(0, params.members_size);
    const last = shown[shown.length - 1];
    const next = rows.length > params.members_size && last
      ? codec.encode({ tn: tenant, kind: 'members', qh: id, sa: [last.event_time, last.alert_id], pit: null, seen: seen + shown.length, exp: now + MEMBER_CURSOR_TTL_MS })
      : undefined;
    const rule = await readRuleVersion(pool, tenant, String(doc['rule_id']), Number(doc['rule_version'] ?? 0));
    return {
      ...doc,
      // Postgres is the source of truth; the index may trail it by a moment.
      status: record.status,
      assignee: record.assignee,
      revision: Math.max(record.revision, Number(doc['revision'] ?? 0)),
      closed_at: record.closed_at,
      close_reason: record.close_reason,
      rule: rule ?? { key: doc['rule_id'], version: doc['rule_version'] ?? null },
      members: { items: shown, ...(next ? { next_cursor: next } : {}) },
      timeline: await readTimeline(pool, tenant, id, TIMELINE_LIMIT),
    };
  });
}

export function registerIncidentWriteRoutes(app: FastifyInstance, pool: Pool): void {
  for (const kind of Object.keys(actionBodies) as Array<keyof typeof actionBodies>) {
    app.post(`/v1/incidents/:id/${kind}`, { schema: routeDocs.incidentAction(kind) }, async (request) => {
      const principal = principalOf(request);
      const { id } = request.params as { id: string };
      if (!ID_PATTERN.test(id)) throw notFound(id);
      const action = { kind, ...parseBody(actionBodies[kind], request.body) } as IncidentAction;
      const outcome = await inTransaction(pool, (client) =>
        changeIncident(client, principal.tenantId, id, action, principal.subject, Date.now(), { incidents: topics.incidents.name, audit: topics.correlationAudit.name }, MAX_ALERT_IDS),
      );
      if (outcome.kind === 'not_found') throw notFound(id);
      if (outcome.kind === 'refused') throw new VigilError('STATE_CONFLICT', outcome.reason);
      return outcome.incident;
    });
  }
}
