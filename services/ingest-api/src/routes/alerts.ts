import { sourceFormats, type Alert, type SourceFormat } from '@vigil/contracts';
import { VigilError, type ErrorCode } from '@vigil/errors';
import { clientText, exceedsDepth, type FastifyInstance, type FastifyRequest } from '@vigil/http';
import type { IdempotencyStore } from '@vigil/redis';
import { ndjsonBody, ndjsonTextOf, splitBatch } from '../batch-body.ts';
import { parseIdempotencyKey, runOnce, type StoredResponse } from '../idempotency.ts';
import { intake } from '../intake.ts';
import { payloadHash } from '../payload-hash.ts';
import type { Publisher } from '../publisher.ts';
import { alertRouteSchemas } from './alert-schemas.ts';

export interface AlertRoutesDeps {
  readonly publisher: Publisher;
  readonly idempotency: IdempotencyStore;
  readonly batchMaxRecords: number;
  readonly jsonMaxDepth: number;
  readonly clock: () => number;
  /** Resolves the tenant of a request; only the verified token (or the guarded dev override). */
  readonly tenantOf: (request: FastifyRequest) => string;
}

type Format = SourceFormat | 'auto';
const formats = new Set<string>([...sourceFormats, 'auto']);

function formatOf(request: FastifyRequest): Format {
  const value = (request.query as Record<string, unknown>)['format'] ?? 'auto';
  if (typeof value !== 'string' || !formats.has(value)) {
    throw new VigilError('ALERT_FORMAT_UNKNOWN', `format must be one of ${[...formats].join(', ')}`, { path: 'format' });
  }
  return value as Format;
}

function checkDepth(body: unknown, limit: number): void {
  if (exceedsDepth(body, limit)) throw new VigilError('REQUEST_BODY_TOO_DEEP', `JSON nesting is limited to ${limit} levels`);
}

/** Per-record errors quote client input like any error body: bounded, controls spelled out. */
function rejection(index: number, code: ErrorCode, message: string, path: string) {
  return { index, status: 'rejected', error: { code, message: clientText(message), path: clientText(path) } };
}

export function registerAlertRoutes(app: FastifyInstance, deps: AlertRoutesDeps): void {
  // NDJSON batches arrive as text and are split (and capped) by the route.
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => done(null, ndjsonBody(body as string)));
  // Fastify parses text/plain by default; an alert is JSON, so that is a 415 here.
  app.removeContentTypeParser('text/plain');

  app.post('/v1/alerts', { schema: alertRouteSchemas.single }, async (request, reply) => {
    const tenant = deps.tenantOf(request);
    const format = formatOf(request);
    if (ndjsonTextOf(request.body) !== null) throw new VigilError('REQUEST_CONTENT_TYPE', 'send one alert as Content-Type: application/json; NDJSON goes to /v1/alerts/batch');
    checkDepth(request.body, deps.jsonMaxDepth);
    const headerKey = parseIdempotencyKey(request.headers['idempotency-key']);
    const now = deps.clock();
    const result = intake(format, request.body, { tenant, now, idempotencyKey: headerKey, index: 0 });
    if (!result.ok) throw new VigilError(result.code, result.message, { path: result.path });
    // Without a header, a sensor's own alert id still makes a retry safe: it fixes the
    // alert id, and every stage is idempotent by id. It is not an idempotency key,
    // because a detector legitimately resends an updated finding under the same id.
    const response = await runOnce(deps.idempotency, tenant, headerKey, () => payloadHash(format, request.body), async () => {
      await deps.publisher.publish([result.alert]);
      return { status: 202, body: { id: result.alert.id, status: 'accepted', format: result.alert.source_format } };
    });
    return reply.status(response.status).send(response.body);
  });

  app.post('/v1/alerts/batch', { schema: alertRouteSchemas.batch }, async (request, reply) => {
    const tenant = deps.tenantOf(request);
    const format = formatOf(request);
    // A JSON array is one level deeper than the records it holds.
    checkDepth(request.body, deps.jsonMaxDepth + 1);
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const entries = splitBatch(request.body, { maxRecords: deps.batchMaxRecords, maxDepth: deps.jsonMaxDepth });
    const hash = () => payloadHash(format, ndjsonTextOf(request.body) ?? request.body);
    const response = await runOnce(deps.idempotency, tenant, key, hash, async (): Promise<StoredResponse> => {
      const now = deps.clock();
      const accepted: Alert[] = [];
      const results = entries.map((entry, index) => {
        if (!entry.ok) return rejection(index, entry.code, entry.message, '');
        const r = intake(format, entry.record, { tenant, now, idempotencyKey: key, index });
        if (!r.ok) return rejection(index, r.code, r.message, r.path);
        accepted.push(r.alert);
        return { index, status: 'accepted', id: r.alert.id };
      });
      await deps.publisher.publish(accepted);
      const rejected = entries.length - accepted.length;
      // 202 all accepted, 207 some rejected, 422 none accepted: the per-record results say which.
      const status = rejected === 0 ? 202 : accepted.length > 0 ? 207 : 422;
      return { status, body: { accepted: accepted.length, rejected, results } };
    });
    return reply.status(response.status).send(response.body);
  });
}
