// The dedup service's surface for tests and tools (the bench); the service itself starts at main.ts.
export { canonicalAlert } from './dedup-core.ts';
export { formatDefaultFields, noTenantSettings, resolveSettings } from './dedup-settings.ts';
export { fingerprint, normaliseFields } from './fingerprint.ts';
export { createModelStore } from './window-model.ts';
