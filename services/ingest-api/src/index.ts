// The ingest API's surface for tests and tools (the bench); the service itself starts at main.ts.
export { buildIngestApp } from './app.ts';
export { ingestConfigSchema, type IngestConfig } from './config.ts';
export { intake } from './intake.ts';
export { alertKey, type Publisher } from './publisher.ts';
export { connectIngestClients } from './wiring.ts';
