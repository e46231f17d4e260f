// The dedup service's surface for tests and tools (the bench); the service itself starts at main.ts.
export { canonicalAlert } from './dedup-core.ts';
export { formatDefaultFields, noTenantSettings, resolveSettings } from './dedup-settings.ts';
export { fingerprint, normaliseFields } from './fingerprint.ts';
export { createModelStore } from './window-model.ts';
export type { DedupDecision, DedupStepInput } from './dedup-decision.ts';
export { DEDUP_KEY_PATTERN, dedupKeys, tenantOfWindowKey, type DedupKeys } from './store/dedup-keys.ts';
export { createDedupStore, decodeDedupReply, type DedupStore } from './store/dedup-store.ts';
export { countDedupWindows, type WindowCount } from './store/dedup-window-count.ts';
