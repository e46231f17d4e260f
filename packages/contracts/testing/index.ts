// Test data for other packages' tests and the bench; not part of the runtime entry point.
export { sampleAlert } from './sample-alert.ts';
