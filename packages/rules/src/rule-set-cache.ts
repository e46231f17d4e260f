import type { CompiledRuleSet, RuleSettings } from '@vigil/detection';
import type { Pool } from '@vigil/postgres';
import { runnableRuleSet } from './rule-set-loader.ts';
import { loadRules, ruleSetRevisions } from './rule-store.ts';

export interface RuleSetCache {
  /**
   * The compiled rule sets of these tenants, recompiled only for tenants whose revision
   * moved since the last call (one cheap query per slice; rules compile once per change).
   */
  forTenants(tenantIds: readonly string[]): Promise<Map<string, CompiledRuleSet>>;
}

export function createRuleSetCache(pool: Pool, defaults: RuleSettings, onBroken: (tenantId: string, keys: string[]) => void = () => undefined): RuleSetCache {
  const cache = new Map<string, { revision: number; set: CompiledRuleSet }>();
  return {
    async forTenants(tenantIds) {
      const unique = [...new Set(tenantIds)];
      const client = await pool.connect();
      try {
        const revisions = await ruleSetRevisions(client, unique);
        const out = new Map<string, CompiledRuleSet>();
        for (const tenantId of unique) {
          const revision = revisions.get(tenantId) ?? 0;
          let entry = cache.get(tenantId);
          if (!entry || entry.revision !== revision) {
            const { set, broken } = runnableRuleSet(await loadRules(client, tenantId), defaults);
            if (broken.length > 0) onBroken(tenantId, broken);
            entry = { revision, set };
            cache.set(tenantId, entry);
          }
          out.set(tenantId, entry.set);
        }
        return out;
      } finally {
        client.release();
      }
    },
  };
}
