// The indexer's surface for tests and tools (the bench); the service itself starts at main.ts.
export { indexDecision, planSlice } from './index-core.ts';
