import { sourceFormats } from '@vigil/contracts';

/**
 * OpenAPI descriptions of the ingest routes. Bodies are validated by the format
 * mappers (which name the bad field), not by Ajv, so only the query string and the
 * responses are described here.
 */
// `required` matters beyond documentation: the 422 of the batch route is an anyOf, and
// without it an error body matches the batch schema first and is serialized as {}.
const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, path: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
};

const querystring = {
  type: 'object',
  properties: { format: { type: 'string', description: `one of auto (default: detect from content), ${sourceFormats.join(', ')}` } },
};

const security = [{ bearerAuth: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody, 413: errorBody, 415: errorBody, 422: errorBody, 429: errorBody, 503: errorBody };

const recordResult = {
  type: 'object',
  properties: {
    index: { type: 'integer' },
    status: { type: 'string', enum: ['accepted', 'rejected'] },
    id: { type: 'string' },
    error: errorBody.properties.error,
  },
};

const batchBody = {
  type: 'object',
  required: ['accepted', 'rejected', 'results'],
  properties: { accepted: { type: 'integer' }, rejected: { type: 'integer' }, results: { type: 'array', items: recordResult } },
};

export const alertRouteSchemas = {
  single: {
    summary: 'Submit one alert',
    description: 'Answers 202 only after Kafka acknowledged the alert with acks=all. Send an Idempotency-Key to make retries safe.',
    tags: ['alerts'],
    security,
    querystring,
    response: {
      202: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, format: { type: 'string' } } },
      ...errors,
    },
  },
  batch: {
    summary: 'Submit a batch of alerts (JSON array or NDJSON)',
    description: 'Per-record results: 202 all accepted, 207 some rejected, 422 none accepted. One bad record never loses the others.',
    tags: ['alerts'],
    security,
    querystring,
    response: { 202: batchBody, 207: batchBody, ...errors, 422: { anyOf: [batchBody, errorBody] } },
  },
} as const;
