import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { requirePermission, type Permission, type Principal, type Verifier } from '@vigil/auth';
import { toErrorBody } from '@vigil/errors';
import type { Logger } from '@vigil/logging';
import { clientText } from './client-message.ts';
import { toVigilError } from './error-mapping.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface HttpAppOptions {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly verifier: Verifier;
  /** Dependencies reachable; /readyz answers 503 otherwise. */
  readonly ready: () => Promise<boolean>;
}

export interface HttpApp {
  readonly app: FastifyInstance;
  /**
   * Hook that verifies the bearer token and checks one permission. Register it `onRequest`:
   * a caller without a valid token is turned away before its body is read or parsed.
   */
  authenticate(permission: Permission): (request: FastifyRequest) => Promise<void>;
  /** Flip readiness before draining on shutdown. */
  markStopping(): void;
}

/**
 * A Fastify instance with Vigil's HTTP conventions: catalogue errors for everything
 * (never a stack trace), bearer-token auth, health endpoints, request ids.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.requestTimeoutMs,
    return503OnClosing: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // One line per request comes from the onResponse hook below, with the fields we want.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
  });
  let stopping = false;
  app.decorateRequest('principal', null);

  app.setErrorHandler((err, request, reply) => {
    const vigil = toVigilError(err);
    if (vigil.status >= 500 && vigil.code === 'INTERNAL') request.log.error({ err, reqId: request.id }, 'request failed');
    if (vigil.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(vigil.details.retryAfterSeconds));
    else if (vigil.code === 'OVERLOADED' || vigil.code === 'DEPENDENCY_UNAVAILABLE' || vigil.code === 'REQUEST_TIMEOUT') void reply.header('retry-after', '1');
    const body = toErrorBody(vigil);
    body.error.message = clientText(body.error.message);
    if (body.error.path !== undefined) body.error.path = clientText(body.error.path);
    void reply.status(vigil.status).send(body);
  });

  app.setNotFoundHandler((_request, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such endpoint' } });
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ reqId: request.id, method: request.method, url: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request: FastifyRequest, reply: FastifyReply) => {
    const ok = !stopping && (await options.ready().catch(() => false));
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready' });
  });

  return {
    app,
    authenticate(permission) {
      return async (request) => {
        const principal = await options.verifier.verify(request.headers.authorization);
        requirePermission(principal, permission);
        request.principal = principal;
      };
    },
    markStopping() {
      stopping = true;
    },
  };
}

/** The verified principal of a request that passed `authenticate`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is missing its authenticate hook');
  return request.principal;
}
