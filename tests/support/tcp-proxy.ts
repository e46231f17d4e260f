import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy a test puts between one service and a shared dependency, so it can take
 * the dependency away from that service alone (others keep using the real one).
 *
 * - `cut()`: drop every connection and refuse new ones, like a dead host;
 * - `restore()`: accept again;
 * - `delayReplies(ms)`: pass requests on at once but replies only `ms` later, so the
 *   upstream has acted (a document is written) well before the client hears of it.
 */
export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  cut(): void;
  restore(): void;
  delayReplies(ms: number): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let refusing = false;
  let replyDelayMs = 0;

  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk) => upstream.write(chunk));
    // Replies keep their order: each leaves no earlier than the one before it.
    let nextAt = 0;
    upstream.on('data', (chunk) => {
      if (replyDelayMs === 0 && nextAt <= Date.now()) {
        client.write(chunk);
        return;
      }
      nextAt = Math.max(Date.now() + replyDelayMs, nextAt);
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, nextAt - Date.now());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const cut = () => {
    refusing = true;
    for (const { client, upstream } of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    cut,
    restore() {
      refusing = false;
    },
    delayReplies(ms) {
      replyDelayMs = ms;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
