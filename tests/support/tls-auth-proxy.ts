import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TlsAuthProxy {
  /** https://127.0.0.1:<port>, no credentials. */
  readonly url: string;
  /** Requests the upstream answered (authenticated ones); 401s are not counted. */
  readonly forwarded: () => number;
  close(): Promise<void>;
}

/**
 * A TLS-terminating, basic-auth-checking reverse proxy in front of a real store on the
 * local stack (OpenSearch, the registry), which run without their security plugins. It
 * stands in for what enforces TLS and credentials in production (the security plugin or
 * an ingress), so the tests prove the Vigil clients' side: they trust the configured
 * CA, send the credentials, and fail clearly otherwise.
 */
export async function startTlsAuthProxy(options: { upstream: string; cert: string; key: string; username: string; password: string }): Promise<TlsAuthProxy> {
  const upstream = new URL(options.upstream);
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  let forwarded = 0;
  const server: Server = createServer({ cert: options.cert, key: options.key }, (req, res) => {
    if (req.headers.authorization !== expected) {
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Basic realm="vigil-test"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 40101, message: 'Unauthorized' }));
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    delete headers.authorization;
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      forwarded += 1;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  // A client that refuses our certificate resets the handshake; that is the expected outcome, not a test failure.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
