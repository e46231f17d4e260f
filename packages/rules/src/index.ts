export { planImport, type ExistingRule, type ImportPlan, type ImportResult, type ImportStatus, type PlannedWrite } from './import-plan.ts';
export { contentHash } from './content-hash.ts';
export { loadRules, existingIndex, lockTenantRules, writeVersions, ruleSetRevisions, setEnabled, audit, type StoredRule } from './rule-store.ts';
export { entriesOf, runnableRuleSet, settingsOf } from './rule-set-loader.ts';
export { createRuleSetCache, type RuleSetCache } from './rule-set-cache.ts';
export { importRules, type ImportReport } from './import-rules.ts';
