import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What /metrics serves: a registry, or the sum of a process group's (cluster-metrics.ts). */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: MetricsSource;
  /** Alive: the process answers. */
  readonly live?: () => boolean;
  /** Ready: dependencies reachable and not shutting down. */
  readonly ready: () => Promise<boolean>;
  /** Extra facts for /readyz (stuck partitions, unpublished outbox rows); never decides readiness. */
  readonly detail?: () => Promise<Record<string, unknown>>;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * /healthz, /readyz and /metrics for workers that have no HTTP API of their own.
 * Bound to loopback by default: metrics describe tenants' traffic and stay local.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const alive = options.live ? options.live() : true;
      send(alive ? 200 : 503, JSON.stringify({ status: alive ? 'ok' : 'failed' }));
    } else if (path === '/readyz') {
      const detail = () => (options.detail ? options.detail().catch(() => ({ detail: 'unavailable' })) : Promise.resolve({}));
      Promise.all([options.ready().catch(() => false), detail()]).then(([ok, extra]) => send(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ready' : 'not_ready', ...extra })));
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => send(200, text, options.registry.contentType),
        () => send(500, ''),
      );
    } else {
      send(404, JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such endpoint' } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
