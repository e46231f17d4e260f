// Single source of truth for where the local stack listens. Services and tests
// import these instead of hard-coding ports, so moving a port is a one-line change.

/** Loopback only: the local stack must never be reachable from the network. */
export const LOCAL_HOST = '127.0.0.1';

export const KAFKA_PORT = 9092;
export const KAFKA_CONTROLLER_PORT = 9093;
export const SCHEMA_REGISTRY_PORT = 8081;
export const OPENSEARCH_PORT = 9200;
export const OPENSEARCH_TRANSPORT_PORT = 9300;
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

export const KAFKA_BOOTSTRAP_SERVERS = `${LOCAL_HOST}:${KAFKA_PORT}`;
/** Apicurio's Confluent-compatible API, which is the one the project speaks. */
export const SCHEMA_REGISTRY_URL = `http://${LOCAL_HOST}:${SCHEMA_REGISTRY_PORT}/apis/ccompat/v7`;
export const OPENSEARCH_URL = `http://${LOCAL_HOST}:${OPENSEARCH_PORT}`;
export const POSTGRES_USER = 'postgres';
/** Apicurio keeps its schemas here, apart from the application databases. */
export const SCHEMA_REGISTRY_DATABASE = 'apicurio';
export const REDIS_URL = `redis://${LOCAL_HOST}:${REDIS_PORT}`;

export function parsePort(text: string): number {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x50') is 80: insist on plain decimal digits.
  if (!/^\d{1,5}$/.test(trimmed)) throw new Error(`invalid port: ${JSON.stringify(text)}`);
  const port = Number(trimmed);
  if (port < 1 || port > 65535) throw new Error(`port out of range: ${port}`);
  return port;
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses "host:port" and "[v6]:port", the forms used in bootstrap-server lists. */
export function parseHostPort(text: string): HostPort {
  const match = /^\[([^\]]+)\]:([^:]+)$/.exec(text.trim()) ?? /^([^:[\]]+):([^:]+)$/.exec(text.trim());
  if (!match || match[1] === undefined || match[2] === undefined) {
    throw new Error(`expected host:port, got ${JSON.stringify(text)}`);
  }
  return { host: match[1], port: parsePort(match[2]) };
}
