// The correlate service's surface for tests and tools (the bench); the service itself starts at main.ts.
export { createCorrelateMetrics } from './correlate-metrics.ts';
export { CONSUMER, createCorrelateHandler } from './correlate-stage.ts';
export { createPgStateStore } from './group-state-store.ts';
export { createOutboxRelay, type OutboxRelay } from './outbox-relay.ts';
export { createInboxRetention, type InboxRetention } from './inbox-retention.ts';
