import { Agent, request } from 'node:http';

/**
 * A small load generator on node:http with keep-alive sockets (what autocannon does,
 * without the dependency): closed loop (each client posts, waits, posts again) for
 * throughput, open loop (requests on a schedule, whatever the answers) for overload.
 */
export interface PostResult {
  /** 0 when the request failed before a status (connection error, timeout). */
  readonly status: number;
  readonly body: string | null;
  /** Why there is no status: `timeout` (nothing heard for the timeout) or the socket error code (ECONNRESET, EPIPE, ...). */
  readonly failure?: string;
  readonly ms: number;
  /** performance.now() when the response was complete. */
  readonly at: number;
}

export interface HttpTarget {
  readonly host: string;
  readonly port: number;
  readonly headers: Readonly<Record<string, string>>;
}

export function createAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, keepAliveMsecs: 10_000 });
}

/** POST a prepared body; resolves (never rejects) with the status, or 0 on a transport error. */
export function post(agent: Agent, target: HttpTarget, path: string, body: Buffer, options: { readBody?: boolean; timeoutMs?: number } = {}): Promise<PostResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number, text: string | null, failure?: string) => {
      if (settled) return;
      settled = true;
      const at = performance.now();
      resolve({ status, body: text, ms: at - started, at, ...(failure === undefined ? {} : { failure }) });
    };
    const failed = (err: Error & { code?: string }) => finish(0, null, err.message === 'timeout' ? 'timeout' : (err.code ?? err.message));
    const req = request(
      {
        agent,
        host: target.host,
        port: target.port,
        method: 'POST',
        path,
        headers: { ...target.headers, 'content-type': 'application/json', 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const keep = options.readBody === true;
        res.on('data', (chunk: Buffer) => {
          if (keep) chunks.push(chunk);
        });
        res.on('end', () => finish(res.statusCode ?? 0, keep ? Buffer.concat(chunks).toString('utf8') : null));
        res.on('error', failed);
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
    req.on('error', failed);
    req.end(body);
  });
}

export interface StatusCounts {
  [status: string]: number;
}

export function countStatus(counts: StatusCounts, status: number): void {
  const key = String(status);
  counts[key] = (counts[key] ?? 0) + 1;
}

export interface ClosedLoopResult {
  readonly requests: number;
  readonly statuses: StatusCounts;
  readonly firstAt: number | null;
  readonly lastAt: number | null;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly latenciesMs: number[];
}

/**
 * `clients` loops, each taking the next body until `next` returns null or the deadline
 * passes. `onResult` sees every response (e.g. to count accepted alerts).
 */
export async function closedLoop(options: {
  readonly agent: Agent;
  readonly target: HttpTarget;
  readonly path: string;
  readonly clients: number;
  readonly next: () => Buffer | null;
  readonly deadlineMs: number;
  readonly readBody?: boolean;
  readonly onResult?: (result: PostResult) => void;
}): Promise<ClosedLoopResult> {
  const statuses: StatusCounts = {};
  const latenciesMs: number[] = [];
  let requests = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  const startedAt = performance.now();
  const deadline = startedAt + options.deadlineMs;
  const worker = async () => {
    for (;;) {
      if (performance.now() > deadline) return;
      const body = options.next();
      if (body === null) return;
      const result = await post(options.agent, options.target, options.path, body, { readBody: options.readBody ?? false });
      requests++;
      countStatus(statuses, result.status);
      latenciesMs.push(result.ms);
      if (result.status >= 200 && result.status < 300) {
        if (firstAt === null) firstAt = result.at;
        lastAt = result.at;
      }
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, worker));
  return { requests, statuses, firstAt, lastAt, startedAt, endedAt: performance.now(), latenciesMs };
}

export interface OpenLoopResult {
  readonly scheduled: number;
  readonly sent: number;
  /** Not sent because `maxInFlight` requests were already waiting: the client could not keep the schedule. */
  readonly clientDropped: number;
  readonly statuses: StatusCounts;
  readonly latenciesMs: number[];
  readonly seconds: number;
}

/**
 * Send `ratePerSecond` requests per second for `seconds`, independent of how fast the
 * server answers (an open loop, the way sensors behave), with at most `maxInFlight`
 * outstanding. Ticks every 10 ms and sends what the schedule owes.
 */
export async function openLoop(options: {
  readonly agent: Agent;
  readonly target: HttpTarget;
  readonly path: string;
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly maxInFlight: number;
  readonly body: (i: number) => Buffer;
  readonly readBody?: boolean;
  /** A sensor gives up after this long (counted as status 0). */
  readonly timeoutMs?: number;
  readonly onResult?: (result: PostResult, i: number) => void;
}): Promise<OpenLoopResult> {
  const statuses: StatusCounts = {};
  const latenciesMs: number[] = [];
  const pending = new Set<Promise<void>>();
  let scheduled = 0;
  let sent = 0;
  let clientDropped = 0;
  const total = Math.max(1, Math.round(options.ratePerSecond * options.seconds));
  const started = performance.now();
  while (scheduled < total) {
    const owed = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.ratePerSecond) + 1);
    while (scheduled < owed) {
      const i = scheduled++;
      if (pending.size >= options.maxInFlight) {
        clientDropped++;
        continue;
      }
      sent++;
      const p: Promise<void> = post(options.agent, options.target, options.path, options.body(i), { readBody: options.readBody ?? false, timeoutMs: options.timeoutMs ?? 30_000 }).then((result) => {
        countStatus(statuses, result.status);
        latenciesMs.push(result.ms);
        options.onResult?.(result, i);
        pending.delete(p);
      });
      pending.add(p);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  return { scheduled, sent, clientDropped, statuses, latenciesMs, seconds: (performance.now() - started) / 1000 };
}
