import type { Verifier } from '@vigil/auth';
import { tenantIdSchema } from '@vigil/contracts';
import { VigilError } from '@vigil/errors';
import { createHttpApp, limitRate, principalOf, swagger, type FastifyRequest, type HttpApp } from '@vigil/http';
import type { Logger } from '@vigil/logging';
import type { IdempotencyStore, RedisClient } from '@vigil/redis';
import type { IngestConfig } from './config.ts';
import type { Publisher } from './publisher.ts';
import { limitConcurrency, limitTenantShare } from './concurrency-limit.ts';
import { registerAlertRoutes } from './routes/alerts.ts';

export interface IngestDeps {
  readonly config: IngestConfig;
  readonly logger: Logger;
  readonly verifier: Verifier;
  readonly publisher: Publisher;
  readonly idempotency: IdempotencyStore;
  readonly redis: RedisClient;
  readonly ready: () => Promise<boolean>;
  readonly clock?: () => number;
}

const DEV_TENANT_HEADER = 'x-vigil-dev-tenant';

/** Build the gateway; `main.ts` wires real clients, tests may wire their own. */
export async function buildIngestApp(deps: IngestDeps): Promise<HttpApp> {
  const { config } = deps;
  const http = createHttpApp({ logger: deps.logger, bodyLimitBytes: config.BODY_LIMIT_BYTES, requestTimeoutMs: config.REQUEST_TIMEOUT_MS, verifier: deps.verifier, ready: deps.ready });
  const { app } = http;

  await app.register(swagger, {
    openapi: {
      info: { title: 'Vigil ingest API', version: '1.0.0', description: 'Sensors submit security alerts. Errors: docs/errors.md.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } as object }, async () => app.swagger());

  limitConcurrency(app, { maxRequests: config.MAX_CONCURRENT_REQUESTS, maxBodyBytes: config.MAX_INFLIGHT_BODY_BYTES }, config.BODY_LIMIT_BYTES, (url) => url.startsWith('/v1/'));

  // Before authentication, per client address: bounds the cost of token verification.
  await limitRate(app, {
    hook: 'onRequest',
    perMinute: config.CLIENT_RATE_LIMIT_PER_MINUTE,
    redis: deps.redis,
    nameSpace: 'vigil:rl:client:',
    exempt: (request) => request.url === '/healthz' || request.url === '/readyz',
  });

  const devOverride = config.DEV_TENANT_OVERRIDE && config.DEV_TENANT_OVERRIDE_I_UNDERSTAND && config.NODE_ENV === 'development';
  const verify = http.authenticate('alerts:write');
  const authenticate = async (request: FastifyRequest) => {
    await verify(request);
    const header = request.headers[DEV_TENANT_HEADER];
    if (devOverride && typeof header === 'string') {
      if (!tenantIdSchema.safeParse(header).success) throw new VigilError('AUTH_TENANT_CLAIM_INVALID', `${DEV_TENANT_HEADER} must be a tenant id`);
      request.principal = { ...principalOf(request), tenantId: header };
    }
  };

  await app.register(async (scope) => {
    // Both limiters add route-level onRequest hooks when a route is defined, in the order
    // the plugins were registered; authentication and the tenant's share of the gateway
    // join that list the same way between them: client limit, then the token, the
    // tenant's share, then the tenant rate limit, all before the body is read.
    const tenantShare = limitTenantShare(config.MAX_TENANT_INFLIGHT_BODY_BYTES, config.BODY_LIMIT_BYTES, (request) => principalOf(request).tenantId);
    scope.addHook('onRoute', (route) => {
      route.onRequest = [...(route.onRequest === undefined ? [] : [route.onRequest].flat()), authenticate, tenantShare.hook];
    });
    // After authentication, per verified tenant: a noisy tenant cannot starve the others.
    await limitRate(scope, {
      hook: 'onRequest',
      perMinute: config.TENANT_RATE_LIMIT_PER_MINUTE,
      redis: deps.redis,
      nameSpace: 'vigil:rl:tenant:',
      key: (request) => principalOf(request).tenantId,
    });
    registerAlertRoutes(scope, {
      publisher: deps.publisher,
      idempotency: deps.idempotency,
      batchMaxRecords: config.BATCH_MAX_RECORDS,
      jsonMaxDepth: config.JSON_MAX_DEPTH,
      clock: deps.clock ?? Date.now,
      tenantOf: (request) => principalOf(request).tenantId,
    });
  });
  return http;
}
