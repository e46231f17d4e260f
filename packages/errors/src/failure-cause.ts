/**
 * What a raw client error says about its cause, for every store Vigil talks to, in one
 * place. The store packages use it to wrap errors (an outage becomes
 * DEPENDENCY_UNAVAILABLE, anything else keeps its identity), and the stage runtime's
 * decision table (`packages/kafka/src/failure-classes.ts`) takes it from there.
 *
 * Pure: looks only at the error's shape (name, code, type, status, message), never at
 * client classes, so no client library is imported here.
 */

interface Shape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly type?: unknown;
  readonly message?: unknown;
  readonly status?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly meta?: { readonly statusCode?: unknown };
}

const shape = (err: unknown): Shape => (err && typeof err === 'object' ? (err as Shape) : {});

/** The error and everything it wraps (`cause`, kafkajs' `originalError`), outermost first. */
export function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = err;
  while (current && typeof current === 'object' && !chain.includes(current) && chain.length < 8) {
    chain.push(current);
    const s = shape(current);
    current = s.cause ?? s.originalError;
  }
  return chain;
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * Kafka produce errors that no retry can fix, for the record batch that caused them.
 * kafkajs marks them `retriable: false` and gives up at once.
 */
export type KafkaRefusal = 'too-large' | 'refused';

const KAFKA_REFUSALS: Readonly<Record<string, KafkaRefusal>> = {
  MESSAGE_TOO_LARGE: 'too-large',
  RECORD_LIST_TOO_LARGE: 'too-large',
  INVALID_RECORD: 'refused',
  CORRUPT_MESSAGE: 'refused',
  INVALID_TIMESTAMP: 'refused',
};

/** The non-retriable produce error anywhere in the chain, or null (then: an outage). */
export function kafkaRefusal(err: unknown): { readonly kind: KafkaRefusal; readonly type: string } | null {
  for (const link of causeChain(err)) {
    const type = shape(link).type;
    if (typeof type === 'string' && KAFKA_REFUSALS[type]) return { kind: KAFKA_REFUSALS[type], type };
  }
  return null;
}

/**
 * Redis replies that mean "not now" rather than "never": loading a dataset, a busy
 * script, a replica or a cluster in transition, out of memory.
 */
const REDIS_TRANSIENT_REPLIES = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|OOM|NOREPLICAS|NOSCRIPT)\b/;

/**
 * Redis: an error reply from a reachable server (a script that raised, WRONGTYPE) is about
 * the operation, not the server, unless it is one of the transient replies. Everything
 * else (connection closed, command timeout, retries exhausted) is an outage.
 */
export function isRedisOutage(err: unknown): boolean {
  const s = shape(err);
  if (s.name !== 'ReplyError') return true;
  return REDIS_TRANSIENT_REPLIES.test(String(s.message ?? ''));
}

/** pg's connection-level errors carry no SQLSTATE; they are recognised by their text. */
const PG_CONNECTION_TEXT = /connection terminated|connection error|terminating connection|timeout exceeded when trying to connect|client was closed|not queryable|connection is closed|server closed the connection/i;

/**
 * Postgres: SQLSTATE classes 08 (connection), 57P (shutdown, admin termination),
 * 53 (insufficient resources), serialization failures and deadlocks (the same work
 * succeeds on retry), socket errors, and pg's own connection-loss errors. An error
 * without a code that is none of those is a bug in our code, not an outage.
 */
export function isPostgresOutage(err: unknown): boolean {
  const { code, message } = shape(err);
  if (typeof code === 'string') return code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || code === '40001' || code === '40P01' || SOCKET_CODES.has(code);
  return PG_CONNECTION_TEXT.test(String(message ?? ''));
}

/** HTTP statuses of a reachable OpenSearch that mean "not now": throttled or unavailable. */
export function isSearchOutageStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * OpenSearch client errors: no connection (an untrusted certificate included), a timeout,
 * or a whole request answered with 429/5xx (the cluster, not one document, is in
 * trouble) or 401/403: the cluster refusing Vigil's credentials is a configuration fault
 * of the connection, never of the records, so they wait instead of being dead-lettered.
 */
export function isSearchOutage(err: unknown): boolean {
  const s = shape(err);
  if (s.name === 'ConnectionError' || s.name === 'TimeoutError' || s.name === 'NoLivingConnectionsError') return true;
  const status = s.meta?.statusCode;
  return typeof status === 'number' && (status === 429 || status === 401 || status === 403 || status >= 500);
}
