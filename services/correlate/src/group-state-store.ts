import { groupValuesOf, type CorrelationNode, type GroupState, type GroupStateStore } from '@vigil/detection';
import type { PoolClient } from '@vigil/postgres';

interface Cached {
  node: CorrelationNode;
  groupKey: string;
  state: GroupState | null;
  dirty: boolean;
  /** The row was created empty by this transaction, only to be locked. */
  created: boolean;
}

/**
 * Group states in Postgres for one transaction. The first load of a group locks its row
 * (FOR UPDATE), so two workers never interleave on one group; later loads in the same
 * transaction come from memory, and `flush` writes each changed group once.
 */
export function createPgStateStore(client: PoolClient, tenantId: string): GroupStateStore & { flush(): Promise<void> } {
  const cache = new Map<string, Cached>();
  const id = (node: CorrelationNode, groupKey: string) => `${node.stateKey}\u0000${groupKey}`;

  async function select(node: CorrelationNode, groupKey: string): Promise<GroupState | undefined> {
    const found = await client.query<{ state: GroupState }>('SELECT state FROM correlation_state WHERE tenant_id = $1 AND state_key = $2 AND group_key = $3 FOR UPDATE', [tenantId, node.stateKey, groupKey]);
    return found.rows[0] === undefined ? undefined : found.rows[0].state;
  }

  return {
    async load(node, groupKey) {
      const key = id(node, groupKey);
      const hit = cache.get(key);
      if (hit) return hit.state;
      let state: GroupState | null | undefined = await select(node, groupKey);
      const created = state === undefined;
      if (created) {
        // No row to lock yet: create an empty one, so a concurrent worker waits on it.
        await client.query(
          `INSERT INTO correlation_state (tenant_id, state_key, group_key, group_values, state) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [tenantId, node.stateKey, groupKey, JSON.stringify(groupValuesOf(node, groupKey)), JSON.stringify({ events: [], episode: null, closeAt: null })],
        );
        state = (await select(node, groupKey)) ?? null;
      }
      cache.set(key, { node, groupKey, state: state ?? null, dirty: false, created });
      return state ?? null;
    },
    async save(node, groupKey, state) {
      const key = id(node, groupKey);
      cache.set(key, { node, groupKey, state, dirty: true, created: cache.get(key)?.created ?? false });
    },
    async flush() {
      for (const entry of cache.values()) {
        const s = entry.state;
        if (!entry.dirty && !entry.created) continue;
        if (!s || (s.events.length === 0 && s.episode === null)) {
          await client.query('DELETE FROM correlation_state WHERE tenant_id = $1 AND state_key = $2 AND group_key = $3', [tenantId, entry.node.stateKey, entry.groupKey]);
          continue;
        }
        await client.query(
          `INSERT INTO correlation_state (tenant_id, state_key, group_key, group_values, state, close_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
           ON CONFLICT (tenant_id, state_key, group_key) DO UPDATE SET state = EXCLUDED.state, close_at = EXCLUDED.close_at, updated_at = now()`,
          [tenantId, entry.node.stateKey, entry.groupKey, JSON.stringify(groupValuesOf(entry.node, entry.groupKey)), JSON.stringify(s), s.closeAt === null ? null : new Date(s.closeAt)],
        );
        entry.dirty = false;
      }
    },
  };
}
