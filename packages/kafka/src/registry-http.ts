import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpStoreConnection } from '@vigil/config';
import { VigilError } from '@vigil/errors';

/**
 * The registry as one HTTP endpoint: the agent (TLS trust) and credentials shared by the
 * registry client library and the codec's own calls (register, health), so both trust
 * the same CA and send the same basic auth.
 */
export interface RegistryHttp {
  readonly url: string;
  readonly agent: HttpAgent | HttpsAgent;
  readonly auth: HttpStoreConnection['auth'];
  request(method: 'GET' | 'POST', path: string, body: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }>;
}

/** A plain URL (tests, tools) is a connection without credentials or a custom CA. */
export function registryConnectionOf(target: string | HttpStoreConnection): HttpStoreConnection {
  return typeof target === 'string' ? { url: target, auth: null, tls: target.startsWith('https:') ? { ca: undefined } : null } : target;
}

/** Certificate errors of Node's TLS: a trust (configuration) problem, never an outage. */
const TLS_TRUST_CODES = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_UNTRUSTED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

export function isTlsTrustError(err: unknown): boolean {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && TLS_TRUST_CODES.test(code);
}

/** 401/403 or an untrusted certificate: wrong configuration, so not retried (STORE_AUTH_FAILED). */
export function registryAuthFailure(what: string, status: number | undefined, cause?: unknown): VigilError {
  const reason = status === undefined ? 'its TLS certificate is not trusted (check SCHEMA_REGISTRY_CA_FILE)' : `it answered HTTP ${status} (check SCHEMA_REGISTRY_USERNAME/_PASSWORD)`;
  return new VigilError('STORE_AUTH_FAILED', `schema registry refused ${what}: ${reason}`, { dependency: 'schema-registry' }, { cause });
}

export function createRegistryHttp(connection: HttpStoreConnection): RegistryHttp {
  const https = connection.url.startsWith('https:');
  const agent = https
    ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: true, ...(connection.tls?.ca === undefined ? {} : { ca: connection.tls.ca }) })
    : new HttpAgent({ keepAlive: true });
  const authorization = connection.auth ? `Basic ${Buffer.from(`${connection.auth.username}:${connection.auth.password}`).toString('base64')}` : undefined;
  const send = https ? httpsRequest : httpRequest;
  return {
    url: connection.url,
    agent,
    auth: connection.auth,
    request(method, path, body, timeoutMs) {
      return new Promise((resolve, reject) => {
        const req = send(
          `${connection.url}${path}`,
          {
            method,
            agent,
            timeout: timeoutMs,
            headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...(body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' }), ...(authorization ? { authorization } : {}) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error(`schema registry did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}
