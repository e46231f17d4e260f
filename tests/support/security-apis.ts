import { randomUUID } from 'node:crypto';
import { freePort } from './ports.ts';
import { startService, type ServiceProcess } from './services.ts';

/**
 * Both APIs as real processes (the same `main.ts` as production) on free ports, so the
 * security suite sees the real route table, the real auth hooks and the real log files.
 */
export interface SecurityApis {
  readonly query: ApiClient;
  readonly ingest: ApiClient;
  readonly processes: readonly ServiceProcess[];
  stop(): Promise<void>;
}

export interface ApiAnswer {
  readonly status: number;
  readonly text: string;
  readonly body: Record<string, unknown> & { items?: Array<Record<string, unknown>>; error?: { code: string; message: string } };
}

export interface CallOptions {
  readonly token?: string;
  /** An object goes as JSON; a string goes byte for byte with `contentType`. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiClient {
  readonly url: string;
  call(method: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
}

function parse(text: string): ApiAnswer['body'] {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as ApiAnswer['body']) : {};
  } catch {
    return {};
  }
}

export function apiClient(url: string): ApiClient {
  return {
    url,
    async call(method, path, options = {}) {
      const raw = typeof options.body === 'string' || options.body === undefined ? options.body : JSON.stringify(options.body);
      const contentType = options.contentType ?? (options.body !== undefined ? 'application/json' : undefined);
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
          ...(contentType ? { 'content-type': contentType } : {}),
          ...options.headers,
        },
        ...(raw !== undefined ? { body: raw } : {}),
      });
      const text = await response.text();
      return { status: response.status, text, body: parse(text) };
    },
  };
}

/** Debug level: whatever the services would ever log about a request is in the files. */
export async function startSecurityApis(env: Readonly<Record<string, string>> = {}): Promise<SecurityApis> {
  const [queryPort, queryOps, ingestPort, ingestOps] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const common = { LOG_LEVEL: 'debug', ...env };
  const query = await startService('query-api', { ...common, PORT: String(queryPort), METRICS_PORT: String(queryOps), CURSOR_KEY: `security-${randomUUID()}` });
  const ingest = await startService('ingest-api', { ...common, PORT: String(ingestPort), METRICS_PORT: String(ingestOps) }).catch(async (err: unknown) => {
    await query.stop();
    throw err;
  });
  return {
    query: apiClient(`http://127.0.0.1:${queryPort}`),
    ingest: apiClient(`http://127.0.0.1:${ingestPort}`),
    processes: [query, ingest],
    async stop() {
      await Promise.all([query.stop(), ingest.stop()]);
    },
  };
}

/** A route template (`/v1/cases/{id}`) with every parameter filled in. */
export function fillPath(template: string, value: string): string {
  return template.replace(/\{[^}]+\}/g, value);
}

/** A small valid Sigma correlation rule under a key the test picks. */
export const correlationRuleYaml = (key: string, title: string) => `title: ${title}
id: ${key}
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [host]
  timespan: 5m
  condition:
    gte: 3
`;
