import { VigilError, isVigilError } from '@vigil/errors';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  validation?: unknown;
  message?: string;
}

/**
 * Turn anything thrown while serving a request into a catalogue error. Framework
 * errors (body parser, content type, validation, rate limit) become their 4xx codes;
 * whatever is left is INTERNAL and its details stay in the log.
 */
export function toVigilError(err: unknown): VigilError {
  if (isVigilError(err)) return err;
  const e = (err ?? {}) as FrameworkError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new VigilError('REQUEST_TOO_LARGE', 'the request body exceeds the size limit; split it into smaller batches');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new VigilError('REQUEST_CONTENT_TYPE', 'send Content-Type: application/json (or application/x-ndjson for batches)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new VigilError('REQUEST_BODY_INVALID_JSON', 'the body is not valid JSON');
    case 'FST_ERR_RATE_LIMITED':
      return new VigilError('RATE_LIMITED', 'rate limit exceeded; retry after the Retry-After delay');
    default:
      break;
  }
  if (e.validation !== undefined) return new VigilError('REQUEST_PARAM_INVALID', `invalid request: ${String(e.message ?? '').slice(0, 200)}`);
  if (e.statusCode === 429) return new VigilError('RATE_LIMITED', 'rate limit exceeded; retry after the Retry-After delay');
  if (e.statusCode === 413) return new VigilError('REQUEST_TOO_LARGE', 'the request body exceeds the size limit');
  if (e.statusCode === 415) return new VigilError('REQUEST_CONTENT_TYPE', 'unsupported Content-Type');
  // Body parser failures (syntax errors, forbidden __proto__ keys) arrive as plain 400s.
  if (e.statusCode === 400) return new VigilError('REQUEST_BODY_INVALID_JSON', 'the body is not valid JSON or contains a forbidden key such as __proto__');
  if (e.statusCode === 408 || e.code === 'FST_ERR_REQUEST_TIMEOUT') return new VigilError('REQUEST_TIMEOUT', 'the request took too long; retry it');
  return new VigilError('INTERNAL', 'internal error; retry later. If it persists, report the request id.');
}
