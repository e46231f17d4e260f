import { randomBytes } from 'node:crypto';
import { loadStoreConnections, parseConfig } from '@vigil/config';
import type { FastifyInstance } from '@vigil/http';
import { createLogger } from '@vigil/logging';
import { buildIngestApp, ingestConfigSchema, type IngestConfig, type Publisher, connectIngestClients } from '@vigil/ingest-api';
import { stackEnv } from './stack-env.ts';
import { startTestIdp, type TestIdp } from './test-idp.ts';

export interface GatewayRequest {
  readonly path: string;
  readonly token?: string;
  /** An object is sent as JSON; a string is sent byte for byte (hostile bodies). */
  readonly body?: unknown;
  readonly contentType?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface GatewayResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

export interface TestGateway {
  readonly app: FastifyInstance;
  readonly idp: TestIdp;
  readonly config: IngestConfig;
  /** The client address every request of this gateway comes from. */
  readonly remoteAddress: string;
  post(request: GatewayRequest): Promise<GatewayResponse>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Config variables over the stack's (e.g. a tiny TENANT_RATE_LIMIT_PER_MINUTE). */
  readonly env?: Readonly<Record<string, string>>;
  /** Wrap the real Kafka publisher, to hold or count publishes. */
  readonly wrapPublisher?: (publisher: Publisher) => Publisher;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The real gateway in-process: the same clients as `main.ts` (Redis, an acks=all Kafka
 * producer, the schema registry) and a verifier on a JWKS from a throwaway IdP.
 * Requests go through Fastify's inject, from a random documentation-prefix IPv6
 * address so the per-client rate limit counter in Redis is this gateway's alone.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const idp = await startTestIdp();
  const config = parseConfig('ingest-api', ingestConfigSchema, {
    ...stackEnv,
    JWKS_URL: idp.jwksUrl,
    JWT_ISSUER: idp.issuer,
    JWT_AUDIENCE: idp.audience,
    ...options.env,
  });
  // Only unexpected (500) errors are logged; a test that produces one should show why.
  const logger = createLogger({ service: 'ingest-api-test', level: 'error' });
  const clients = await connectIngestClients(config, loadStoreConnections('ingest-api', config), logger);
  const publisher = options.wrapPublisher ? options.wrapPublisher(clients.publisher) : clients.publisher;
  const { app } = await buildIngestApp({ config, logger, ...clients, publisher });
  const remoteAddress = `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

  return {
    app,
    idp,
    config,
    remoteAddress,
    async post(request) {
      const payload = typeof request.body === 'string' || request.body === undefined ? request.body : JSON.stringify(request.body);
      const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
      const response = await app.inject({
        method: 'POST',
        url: request.path,
        remoteAddress,
        headers: {
          ...(contentType !== null ? { 'content-type': contentType } : {}),
          ...(request.token !== undefined ? { authorization: `Bearer ${request.token}` } : {}),
          ...request.headers,
        },
        ...(payload !== undefined ? { payload } : {}),
      });
      return { status: response.statusCode, headers: response.headers, text: response.body, json: parseJson(response.body) };
    },
    async close() {
      await app.close();
      await clients.close();
      await idp.close();
    },
  };
}
