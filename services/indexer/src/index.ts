// The indexer's surface for tests and tools (the bench); the service itself starts at main.ts.
export { indexDecision } from './index-core.ts';
