import { catalogue, type ErrorCode } from './catalogue.ts';

export interface ErrorDetails {
  /** JSON path of the offending field, for schema errors. */
  readonly path?: string;
  /** Which dependency failed, for DEPENDENCY_UNAVAILABLE. */
  readonly dependency?: string;
  /** Seconds the client should wait, for 429/503. */
  readonly retryAfterSeconds?: number;
}

/**
 * The only error type that crosses a package boundary on purpose. Its message is meant
 * for the client (a sensor author or analyst) and must never contain internals.
 */
export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.code = code;
    this.status = catalogue[code].status;
    this.retriable = catalogue[code].retriable;
    this.details = details;
  }
}

export function isVigilError(err: unknown): err is VigilError {
  return err instanceof VigilError;
}

/** A dependency (store, broker, registry) did not answer: always retriable. */
export function dependencyUnavailable(dependency: string, cause: unknown): VigilError {
  return new VigilError('DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable`, { dependency }, { cause });
}

/** The body a client sees: code, message, optional path. Nothing else leaks. */
export function toErrorBody(err: VigilError): { error: { code: ErrorCode; message: string; path?: string } } {
  const body: { code: ErrorCode; message: string; path?: string } = { code: err.code, message: err.message };
  if (err.details.path !== undefined) body.path = err.details.path;
  return { error: body };
}
