import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths whose values never reach a log line. Tokens and passwords travel in headers,
 * connection strings and config objects; redact all of the usual places.
 */
export const redactPaths = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'privateKey',
  '*.privateKey',
  'DATABASE_URL',
  '*.DATABASE_URL',
  // The other store URLs may carry credentials too; a store connection object holds them
  // in `sasl` / `auth` (docs/store-connections.md).
  'REDIS_URL',
  '*.REDIS_URL',
  'OPENSEARCH_URL',
  '*.OPENSEARCH_URL',
  'SCHEMA_REGISTRY_URL',
  '*.SCHEMA_REGISTRY_URL',
  'sasl',
  '*.sasl',
  'auth',
  '*.auth',
  'connectionString',
  '*.connectionString',
  'raw',
  '*.raw',
];

export interface LoggerSettings {
  readonly service: string;
  readonly level: LoggerOptions['level'];
  /** Tests pass a destination to capture lines. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return settings.destination ? pino(options, settings.destination as DestinationStream) : pino(options);
}

export type { Logger };
