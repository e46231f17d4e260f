/**
 * The one catalogue of error codes Vigil answers with or records in a DLQ envelope.
 * Every code has an HTTP status, whether a client (or the stage runtime) may retry,
 * and one line of documentation. docs/errors.md must list every code: a test checks it.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly retriable: boolean;
  readonly doc: string;
}

export const catalogue = {
  // --- authentication and authorisation
  AUTH_TOKEN_MISSING: { status: 401, retriable: false, doc: 'No bearer token in the Authorization header.' },
  AUTH_TOKEN_INVALID: { status: 401, retriable: false, doc: 'The token is malformed, not RS256, has an unknown key id, a bad signature, or a wrong/missing iss, aud, exp or nbf.' },
  AUTH_TENANT_CLAIM_INVALID: { status: 401, retriable: false, doc: 'The token has no tenant claim or it is not a non-empty string of [A-Za-z0-9_-].' },
  AUTH_FORBIDDEN: { status: 403, retriable: false, doc: 'The token is valid but lacks the permission this endpoint needs.' },
  // --- request shape
  REQUEST_BODY_INVALID_JSON: { status: 400, retriable: false, doc: 'The body is not valid JSON (or one NDJSON line is not).' },
  REQUEST_BODY_TOO_DEEP: { status: 400, retriable: false, doc: 'The JSON nests deeper than the documented depth cap.' },
  REQUEST_CONTENT_TYPE: { status: 415, retriable: false, doc: 'Content-Type must be application/json (or application/x-ndjson for batches).' },
  REQUEST_TOO_LARGE: { status: 413, retriable: false, doc: 'The body exceeds the byte cap, or a batch exceeds the record-count cap.' },
  REQUEST_BODY_INVALID: { status: 400, retriable: false, doc: 'The JSON body does not match the endpoint schema; `path` names the bad field.' },
  REQUEST_PARAM_INVALID: { status: 400, retriable: false, doc: 'A query-string parameter is missing, unknown or out of range.' },
  ALERT_SCHEMA_INVALID: { status: 400, retriable: false, doc: 'The alert does not match its format; `path` names the bad field.' },
  ALERT_FORMAT_UNKNOWN: { status: 400, retriable: false, doc: 'The format parameter names no supported format, or the content matches none.' },
  ALERT_NOT_AN_ALERT: { status: 422, retriable: false, doc: 'The record is valid for its format but is not an alert (for example a Suricata `flow` event).' },
  ALERT_TIMESTAMP_INVALID: { status: 400, retriable: false, doc: 'The event time is missing, unparseable, or outside the accepted range.' },
  // --- idempotency
  IDEMPOTENCY_KEY_INVALID: { status: 400, retriable: false, doc: 'The Idempotency-Key header must be 1-128 printable ASCII characters.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retriable: false, doc: 'The Idempotency-Key was already used with a different payload.' },
  IDEMPOTENCY_IN_FLIGHT: { status: 409, retriable: true, doc: 'A request with the same Idempotency-Key is still being processed; retry shortly.' },
  // --- limits and availability
  RATE_LIMITED: { status: 429, retriable: true, doc: 'The tenant (or client address) exceeded its request rate; honour Retry-After.' },
  OVERLOADED: { status: 503, retriable: true, doc: 'Kafka or the schema registry is unavailable or the producer queue is full; honour Retry-After.' },
  REQUEST_TIMEOUT: { status: 503, retriable: true, doc: 'The request did not complete within the server time limit; retry with the same Idempotency-Key.' },
  STORE_AUTH_FAILED: { status: 500, retriable: false, doc: 'A store refused Vigil\'s credentials (HTTP 401/403 from the schema registry) or its TLS certificate is not trusted by the configured CA: a configuration fault, not an outage, so it is not retried; the service stops at start-up naming the store (docs/store-connections.md).' },
  DEPENDENCY_UNAVAILABLE: { status: 503, retriable: true, doc: 'A store (Kafka, Redis, Postgres, OpenSearch, schema registry) did not answer; retried with backoff.' },
  // --- query API
  NOT_FOUND: { status: 404, retriable: false, doc: 'No such resource for this tenant.' },
  RULE_INVALID: { status: 422, retriable: false, doc: 'No rule in the Sigma file could be imported; the report lists each document with its line, path and the unsupported feature.' },
  QUERY_INVALID: { status: 400, retriable: false, doc: 'The search parameters are invalid (bad time range, unknown sort field, page too deep).' },
  RULE_CONFLICT: { status: 409, retriable: false, doc: 'The rule exists already (create), or changed since the version the edit was based on (`base_version`): reload it and apply the edit again.' },
  RULE_SETTINGS_INVALID: { status: 400, retriable: false, doc: 'Rule settings must be allowed_lateness_ms and reopen_ms (non-negative integers) and severity_override (a severity or null); `path` names the bad one.' },
  SIMULATION_INVALID: { status: 400, retriable: false, doc: 'The simulation request is invalid: give exactly one of rule_id or yaml, and from < to within the allowed range.' },
  SIMULATION_LIMIT: { status: 429, retriable: true, doc: 'The tenant already has as many unfinished simulations as allowed; wait for one to finish or cancel it.' },
  SIMULATION_NOT_FINISHED: { status: 409, retriable: true, doc: 'The simulation has not finished (or failed); its status endpoint says which.' },
  BACKUP_REJECTED: { status: 422, retriable: false, doc: 'The restore file is not a Vigil rules backup, its checksum does not match its content (edited or damaged), or one of its rules no longer compiles; nothing was restored.' },
  QUERY_TOO_DEEP: { status: 400, retriable: false, doc: 'The page is beyond the paging depth cap (documents skipped plus page size); narrow the filters or the time range.' },
  CURSOR_INVALID: { status: 400, retriable: false, doc: 'The cursor is malformed, expired, signed for another tenant or for other search parameters; start again without a cursor.' },
  STATE_CONFLICT: { status: 409, retriable: false, doc: 'The change does not apply to the resource in its current state (for example acknowledging a closed incident).' },
  WEBHOOK_URL_REFUSED: { status: 422, retriable: false, doc: 'The webhook URL is not https/http, or it (or an address it resolves to) is loopback, private, link-local or otherwise internal.' },
  // --- stage runtime (DLQ envelope codes)
  RECORD_UNDECODABLE: { status: 422, retriable: false, doc: 'A Kafka record is not schema-registry framed Avro, or its bytes do not match its schema.' },
  SCHEMA_UNKNOWN: { status: 503, retriable: true, doc: 'The record names a schema id the reachable registry does not know; retried for a short grace (registry replication lag), then dead-lettered.' },
  RECORD_REJECTED: { status: 422, retriable: false, doc: 'The stage core rejected the record as invalid for this stage.' },
  INDEX_REJECTED: { status: 422, retriable: false, doc: 'OpenSearch refused the document permanently (mapping conflict or malformed value).' },
  OUTPUT_TOO_LARGE: { status: 422, retriable: false, doc: 'An output of the record (or the record itself) is larger than the broker accepts in one message (message.max.bytes); the record went to the DLQ.' },
  OUTPUT_REFUSED: { status: 422, retriable: false, doc: 'Kafka refused a produced record permanently (INVALID_RECORD, RECORD_LIST_TOO_LARGE, CORRUPT_MESSAGE); the record that caused it went to the DLQ.' },
  STORE_OPERATION_FAILED: { status: 500, retriable: true, doc: 'A reachable store failed the operation for this record (Redis script error or unparsable reply, a non-connectivity Postgres error, an OpenSearch item 500); retried with backoff, then dead-lettered with this code.' },
  STAGE_UNHANDLED_ERROR: { status: 500, retriable: false, doc: 'An unexpected error persisted after the bounded retries; the record went to the DLQ.' },
  // --- generic
  INTERNAL: { status: 500, retriable: true, doc: 'An unexpected server error; nothing about it is echoed to the client. Logged with the request id.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof catalogue;

export const errorCodes = Object.keys(catalogue) as ErrorCode[];

export function specOf(code: ErrorCode): ErrorSpec {
  return catalogue[code];
}
