// The query API's surface for tests and tools (the bench); the service itself starts at main.ts.
export { aggregationBody, aggregationSchema, effectiveRange } from './aggregations.ts';
export { alertQuery } from './alert-query.ts';
export { createCursorCodec, queryHash } from './cursor.ts';
export { alertSearchSchema, alertSortOf, parseParams } from './search-params.ts';
export { verifySignature } from './webhooks/webhook-signature.ts';
