/**
 * OpenAPI descriptions of the query API's routes. They document only: the route scopes
 * turn Fastify's validation and response serialisation off, so zod (search-params.ts,
 * body schemas) stays the one validator and these cannot drift into a second one.
 */
const security = [{ bearerAuth: [] }];
const str = { type: 'string' };
const many = (description: string, example: string) => ({ type: 'string', description: `${description} (repeat the parameter for several values)`, example });
const errorBody = { type: 'object', properties: { error: { type: 'object', properties: { code: str, message: str, path: str } } }, example: { error: { code: 'CURSOR_INVALID', message: 'cursor was issued to another tenant; start again without a cursor', path: 'cursor' } } };
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const alertExample = {
  id: '0b7f3c7e-4c1a-5f7e-9d55-3f0f6c1b2a10', tenant_id: 'acme', source_format: 'suricata', source_product: 'Suricata', rule_id: '2010935', rule_name: 'ET SCAN Suspicious inbound to MSSQL port 1433',
  severity: 'high', severity_score: 75, event_time: 1764633600000, src_ip: '203.0.113.7', src_port: 51514, dst_ip: '10.0.0.5', dst_port: 1433, host: 'db-01', user_name: null, labels: { env: 'prod' }, dedup_count: 3,
};
const incidentExample = {
  id: '6c1e0f8a-2b1d-5c55-8b1e-7a3f9d2e4c11', tenant_id: 'acme', revision: 4, rule_id: 'brute-force-then-login', rule_name: 'Brute force followed by login', rule_version: 2, group_key: 'src_ip=203.0.113.7',
  group_values: { src_ip: '203.0.113.7' }, tags: ['attack.credential_access'], status: 'acknowledged', severity: 'high', alert_count: 12, assignee: 'alice', alert_ids: ['0b7f3c7e-4c1a-5f7e-9d55-3f0f6c1b2a10'],
  window_start: 1764633600000, window_end: 1764633900000, first_seen: 1764633600000, last_seen: 1764633720000, updated_at: 1764633800000,
};
const caseExample = { id: '9a4d2b61-7e3c-4f0a-b8a5-2c1d0e9f8a77', tenant_id: 'acme', title: 'Brute force on db-01', status: 'open', assignee: null, revision: 1, alert_ids: [], incident_ids: ['6c1e0f8a-2b1d-5c55-8b1e-7a3f9d2e4c11'], notes: [], observables: [], events: [{ actor: 'alice', action: 'created', detail: { title: 'Brute force on db-01' }, at: 1764633900000 }] };
const webhookExample = { id: '3f1c2a9e-0d4b-4c1e-9a77-5b2e8c1d0f13', url: 'https://hooks.example.com/vigil', format: 'generic', events: ['opened', 'escalated', 'reopened'], enabled: true, created_by: 'erin', created_at: 1764633600000, updated_at: 1764633600000 };
const idParam = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] };
const filterProps = {
  q: { type: 'string', description: 'Free text: words, "phrases", prefix*, +, |, - and parentheses (simple_query_string with limited flags; no field syntax).', example: 'mssql scan' },
  severity: many('info|low|medium|high|critical', 'high'), source_format: many('vigil|suricata|zeek|wazuh|ecs|ocsf', 'suricata'), source_product: many('Product name', 'Suricata'),
  rule_id: many('Detection rule id', '2010935'), sensor_id: many('Sensor id', 'ids-edge-1'), ip: many('Source or destination IP or CIDR', '10.0.0.0/8'), src_ip: many('Source IP or CIDR', '203.0.113.0/24'),
  dst_ip: many('Destination IP or CIDR', '10.0.0.5'), port: many('Source or destination port', '1433'), src_port: many('Source port', '51514'), dst_port: many('Destination port', '1433'), protocol: many('Protocol', 'tcp'),
  host: many('Host', 'db-01'), user: many('User name', 'alice'), process: many('Process', 'powershell.exe'), hash: many('File hash', 'd41d8cd98f00b204e9800998ecf8427e'), domain: many('Domain', 'evil.example'),
  url: many('URL', 'http://evil.example/x'), label: many('key:value of a label', 'env:prod'), min_dedup_count: { type: 'integer', minimum: 1, example: 2 },
  incident_id: { type: 'string', format: 'uuid', description: 'Only member alerts of this incident (first 1000)' },
  from: { type: 'string', description: 'Event time >= (epoch ms or RFC 3339)', example: '2025-12-01T00:00:00Z' }, to: { type: 'string', description: 'Event time <= (epoch ms or RFC 3339)', example: '2025-12-02T00:00:00Z' },
};
const total = { type: 'object', properties: { value: { type: 'integer' }, relation: { type: 'string', enum: ['eq', 'gte'] } } };
const pageOf = (item: object) => ({ type: 'object', properties: { total, size: { type: 'integer' }, items: { type: 'array', items: item }, next_cursor: { type: 'string', description: 'Absent on the last page' } } });
const obj = (example: object) => ({ type: 'object', additionalProperties: true, example });

const deadLetterExample = {
  id: 'dedup:0:118:3f9c2a71d04be8e5', stage: 'dedup', dlq: { topic: 'dlq.dedup.v1', partition: 0, offset: '118' }, source: { topic: 'alerts.raw.v1', partition: 2, offset: '40211' },
  error: { code: 'RECORD_REJECTED', message: 'alert has no id' }, attempts: 1, time: '2026-12-02T08:10:12.031Z', key: 'acme|2010935', headers: {},
  value: { bytes: 1116, sha256: '2c234ccf5d0e7f1b9a8c6d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a', redacted: true }, replayed: false,
};
const deadLetterNote = 'Only letters whose envelope names your tenant (the value decodes to a record of your tenant and the key agrees); undecodable, unknown-schema and trimmed letters have no readable tenant and are operator-only (vigil dlq). Payloads as size and SHA-256 only.';

export const routeDocs = {
  searchAlerts: {
    summary: 'Search alerts', tags: ['alerts'], security,
    querystring: { type: 'object', properties: { ...filterProps, sort: { type: 'string', enum: ['event_time:desc', 'event_time:asc', 'severity_score:desc', 'dedup_count:desc', 'received_time:desc'] }, size: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, cursor: { type: 'string', description: 'next_cursor of the previous page; bound to the tenant and these parameters' } } },
    response: { 200: { ...pageOf(obj(alertExample)), example: { total: { value: 1, relation: 'eq' }, size: 50, items: [alertExample] } }, ...errors },
  },
  aggregateAlerts: {
    summary: 'Triage aggregations over alerts (same filters as search)', tags: ['alerts'], security,
    querystring: { type: 'object', properties: { ...filterProps, agg: many('severity_over_time|top_rules|top_sources|top_destinations|top_hosts|top_users|top_products|top_labels', 'top_rules'), top: { type: 'integer', minimum: 1, maximum: 50, default: 10 }, label_key: { type: 'string', description: 'Label whose values top_labels counts', example: 'env' } } },
    response: { 200: obj({ total: 120, from: 1764547200000, to: 1764633600000, aggregations: { top_rules: [{ key: '2010935', count: 80 }], severity_over_time: [{ t: 1764547200000, count: 4, by_severity: { high: 3, low: 1 } }] } }), ...errors },
  },
  getAlert: { summary: 'One alert (with its raw original)', tags: ['alerts'], security, params: idParam, response: { 200: obj({ ...alertExample, raw: '{"event_type":"alert"}' }), ...errors } },
  searchIncidents: {
    summary: 'List incidents', tags: ['incidents'], security,
    querystring: { type: 'object', properties: { status: many('open|acknowledged|closed', 'open'), severity: many('Severity', 'high'), rule_id: many('Correlation rule key', 'brute-force-then-login'), assignee: str, unassigned: { type: 'string', enum: ['true'] }, from: { type: 'string', description: 'last_seen >=' }, to: { type: 'string', description: 'last_seen <=' }, sort: { type: 'string', enum: ['last_seen:desc', 'first_seen:desc', 'alert_count:desc', 'updated_at:desc'] }, size: { type: 'integer', maximum: 500 }, cursor: str } },
    response: { 200: { ...pageOf(obj(incidentExample)), example: { total: { value: 1, relation: 'eq' }, size: 50, items: [incidentExample] } }, ...errors },
  },
  getIncident: {
    summary: 'One incident: member alerts (paged), the rule version that fired, the timeline', tags: ['incidents'], security, params: idParam,
    querystring: { type: 'object', properties: { members_size: { type: 'integer', maximum: 200, default: 50 }, members_cursor: str } },
    response: { 200: obj({ ...incidentExample, closed_at: null, close_reason: null, rule: { key: 'brute-force-then-login', version: 2, title: 'Brute force followed by login', source: 'title: ...' }, members: { items: [{ alert_id: '0b7f3c7e-4c1a-5f7e-9d55-3f0f6c1b2a10', event_time: 1764633600000 }] }, timeline: [{ decision: 'opened', at: 1764633600000 }, { decision: 'acknowledged', reason: 'by alice', at: 1764633800000 }] }), ...errors },
  },
  incidentAction: (kind: string) => ({
    summary: `${kind[0]!.toUpperCase()}${kind.slice(1)} an incident (incidents:write)`, tags: ['incidents'], security, params: idParam,
    body: kind === 'assign' ? obj({ assignee: 'alice' }) : kind === 'close' ? obj({ reason: 'false positive: pentest window' }) : obj({}),
    response: { 200: obj({ ...incidentExample, revision: 5 }), 409: errorBody, ...errors },
  }),
  listCases: { summary: 'List cases', tags: ['cases'], security, querystring: { type: 'object', properties: { status: { type: 'string', enum: ['open', 'in_progress', 'closed'] }, size: { type: 'integer', maximum: 200 } } }, response: { 200: obj({ items: [caseExample] }), ...errors } },
  getCase: { summary: 'One case with links, notes, observables and its audit trail', tags: ['cases'], security, params: idParam, response: { 200: obj(caseExample), ...errors } },
  createCase: { summary: 'Create a case from alerts and/or incidents (cases:write)', tags: ['cases'], security, body: obj({ title: 'Brute force on db-01', incident_ids: ['6c1e0f8a-2b1d-5c55-8b1e-7a3f9d2e4c11'] }), response: { 201: obj(caseExample), ...errors } },
  patchCase: { summary: 'Change status, assignee or title (cases:write)', tags: ['cases'], security, params: idParam, body: obj({ status: 'in_progress', assignee: 'bob' }), response: { 200: obj({ ...caseExample, status: 'in_progress', assignee: 'bob' }), ...errors } },
  addNote: { summary: 'Add a note (cases:write)', tags: ['cases'], security, params: idParam, body: obj({ body: 'Blocked 203.0.113.7 at the edge.' }), response: { 200: obj(caseExample), ...errors } },
  addObservable: { summary: 'Add an observable (cases:write)', tags: ['cases'], security, params: idParam, body: obj({ kind: 'ip', value: '203.0.113.7' }), response: { 200: obj(caseExample), ...errors } },
  addLinks: { summary: 'Link more alerts or incidents (cases:write)', tags: ['cases'], security, params: idParam, body: obj({ alert_ids: ['0b7f3c7e-4c1a-5f7e-9d55-3f0f6c1b2a10'] }), response: { 200: obj(caseExample), ...errors } },
  createWebhook: { summary: 'Register a notification webhook (webhooks:write); the secret is shown only here', tags: ['webhooks'], security, body: obj({ url: 'https://hooks.example.com/vigil', format: 'generic', events: ['opened', 'escalated', 'reopened'] }), response: { 201: obj({ ...webhookExample, secret: 'whsec_3q2-7wY...' }), 422: errorBody, ...errors } },
  listWebhooks: { summary: 'List webhooks (secrets not shown)', tags: ['webhooks'], security, response: { 200: obj({ items: [webhookExample] }), ...errors } },
  getWebhook: { summary: 'One webhook (secret not shown)', tags: ['webhooks'], security, params: idParam, response: { 200: obj(webhookExample), ...errors } },
  patchWebhook: { summary: 'Change url, format, events or enabled', tags: ['webhooks'], security, params: idParam, body: obj({ enabled: false }), response: { 200: obj({ ...webhookExample, enabled: false }), 422: errorBody, ...errors } },
  rotateWebhookSecret: { summary: 'Replace the signing secret (shown once)', tags: ['webhooks'], security, params: idParam, response: { 200: obj({ id: webhookExample.id, secret: 'whsec_Zk1...' }), ...errors } },
  deleteWebhook: { summary: 'Delete a webhook (no more deliveries)', tags: ['webhooks'], security, params: idParam, response: { 204: { type: 'null' }, ...errors } },
  webhookDeliveries: {
    summary: 'Recent deliveries of a webhook: pending, delivered, dead', tags: ['webhooks'], security, params: idParam,
    querystring: { type: 'object', properties: { state: { type: 'string', enum: ['pending', 'delivered', 'dead'] }, size: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
    response: { 200: obj({ items: [{ id: 'n42-3f1c2a9e-0d4b-4c1e-9a77-5b2e8c1d0f13', state: 'dead', event: 'opened', incident_id: incidentExample.id, attempts: 8, error: 'receiver answered HTTP 500', created_at: 1764633600000, finished_at: 1764634200000 }] }), ...errors },
  },
  listDeadLetters: {
    summary: 'Your tenant\'s dead letters: per-stage summary and the newest letters (dead-letters:read)', description: `${deadLetterNote} Each stage's newest letters are read up to a count and byte cap; \`complete: false\` says older ones were left out.`, tags: ['dead-letters'], security,
    querystring: { type: 'object', properties: { stage: { type: 'string', enum: ['dedup', 'correlate', 'indexer'] }, code: { type: 'string', description: 'Error code (docs/errors.md)', example: 'RECORD_REJECTED' }, size: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
    response: { 200: obj({ stages: [{ stage: 'dedup', topic: 'dlq.dedup.v1', count: 1, replayed: 0, codes: [{ code: 'RECORD_REJECTED', count: 1 }], oldest: deadLetterExample.time, newest: deadLetterExample.time, complete: true }], total: 1, items: [deadLetterExample] }), 503: errorBody, ...errors },
  },
  getDeadLetter: { summary: 'One of your tenant\'s dead letters by id (dead-letters:read)', description: deadLetterNote, tags: ['dead-letters'], security, params: { type: 'object', properties: { id: { type: 'string', description: 'stage:partition:offset:fingerprint' } }, required: ['id'] }, response: { 200: obj(deadLetterExample), 503: errorBody, ...errors } },
};
