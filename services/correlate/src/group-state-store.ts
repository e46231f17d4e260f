import type { CorrelationNode, GroupState, GroupStateStore } from '@vigil/detection';
import type { PoolClient } from '@vigil/postgres';

interface Cached {
  node: CorrelationNode;
  groupKey: string;
  state: GroupState | null;
  dirty: boolean;
  /** No row existed when the transaction looked: flush inserts it (and detects a race). */
  created: boolean;
}

interface Row {
  state_key: string;
  group_key: string;
  state: string;
}

export interface PgStateStore extends GroupStateStore {
  /** Lock (creating where missing) the rows of these groups in one go, in key order. */
  prefetch(groups: ReadonlyArray<{ node: CorrelationNode; groupKey: string }>): Promise<void>;
  /** Write every changed group: one upsert and one delete for the whole transaction. */
  flush(): Promise<void>;
}

interface StateRow {
  s: string;
  g: string;
  st: string;
  c: Date | null;
}

/** Column arrays for unnest(): one array per column is far cheaper to send and parse than JSON rows. */
const columns = (rows: readonly StateRow[]) => [rows.map((r) => r.s), rows.map((r) => r.g), rows.map((r) => r.st), rows.map((r) => r.c)];

/**
 * Group states in Postgres for one transaction. Rows are locked FOR UPDATE before their
 * state is read, so two workers never interleave on one group; locks are taken in key
 * order, which keeps two slices from deadlocking on each other. Reads after the first
 * come from memory.
 */
export function createPgStateStore(client: PoolClient, tenantId: string): PgStateStore {
  const cache = new Map<string, Cached>();
  const id = (stateKey: string, groupKey: string) => `${stateKey}\u0000${groupKey}`;

  async function lockRows(keys: ReadonlyArray<{ s: string; g: string }>): Promise<Row[]> {
    const result = await client.query<Row>(
      `SELECT c.state_key, c.group_key, c.state FROM correlation_state c
         JOIN unnest($2::text[], $3::text[]) AS k(s, g) ON c.state_key = k.s AND c.group_key = k.g
        WHERE c.tenant_id = $1 ORDER BY c.state_key, c.group_key FOR UPDATE OF c`,
      [tenantId, keys.map((k) => k.s), keys.map((k) => k.g)],
    );
    return result.rows;
  }

  /**
   * Lock the existing rows of these groups. A group without a row starts empty and is
   * inserted at flush; if another worker inserted it meanwhile, flush throws a
   * serialization failure and the slice is redone (it then finds and locks the row).
   * Creating empty rows up front to lock them doubled the writes of a slice.
   */
  async function lockExisting(groups: ReadonlyArray<{ node: CorrelationNode; groupKey: string }>): Promise<void> {
    const wanted = new Map<string, { node: CorrelationNode; groupKey: string }>();
    for (const g of groups) if (!cache.has(id(g.node.stateKey, g.groupKey))) wanted.set(id(g.node.stateKey, g.groupKey), g);
    if (wanted.size === 0) return;
    const found = new Map((await lockRows([...wanted.values()].map((g) => ({ s: g.node.stateKey, g: g.groupKey })))).map((r) => [id(r.state_key, r.group_key), JSON.parse(r.state) as GroupState]));
    for (const [key, g] of wanted) {
      const state = found.get(key);
      cache.set(key, { node: g.node, groupKey: g.groupKey, state: state ?? null, dirty: false, created: state === undefined });
    }
  }

  return {
    prefetch: lockExisting,
    async load(node, groupKey) {
      await lockExisting([{ node, groupKey }]);
      return cache.get(id(node.stateKey, groupKey))!.state;
    },
    async save(node, groupKey, state) {
      const key = id(node.stateKey, groupKey);
      cache.set(key, { node, groupKey, state, dirty: true, created: cache.get(key)?.created ?? false });
    },
    async flush() {
      const inserts: StateRow[] = [];
      const updates: StateRow[] = [];
      const deletes: Array<{ s: string; g: string }> = [];
      for (const entry of cache.values()) {
        if (!entry.dirty) continue;
        entry.dirty = false;
        const s = entry.state;
        const empty = !s || (s.events.length === 0 && s.episode === null);
        // An empty group leaves no row behind: the table holds only groups with a future.
        if (empty) {
          if (!entry.created) deletes.push({ s: entry.node.stateKey, g: entry.groupKey });
          continue;
        }
        const row = { s: entry.node.stateKey, g: entry.groupKey, st: JSON.stringify(s), c: s.closeAt === null ? null : new Date(s.closeAt) };
        (entry.created ? inserts : updates).push(row);
        entry.created = false;
      }
      if (inserts.length > 0) {
        const inserted = await client.query(
          `INSERT INTO correlation_state (tenant_id, state_key, group_key, state, close_at)
           SELECT $1, r.s, r.g, r.st, r.c FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS r(s, g, st, c)
           ON CONFLICT DO NOTHING`,
          [tenantId, ...columns(inserts)],
        );
        if (inserted.rowCount !== inserts.length) throw Object.assign(new Error('a concurrent worker created a correlation group this slice also created; redoing the slice'), { code: '40001' });
      }
      if (updates.length > 0) {
        await client.query(
          `UPDATE correlation_state c SET state = r.st, close_at = r.c, updated_at = now()
             FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS r(s, g, st, c)
            WHERE c.tenant_id = $1 AND c.state_key = r.s AND c.group_key = r.g`,
          [tenantId, ...columns(updates)],
        );
      }
      if (deletes.length > 0) {
        await client.query(
          `DELETE FROM correlation_state c USING unnest($2::text[], $3::text[]) AS k(s, g)
            WHERE c.tenant_id = $1 AND c.state_key = k.s AND c.group_key = k.g`,
          [tenantId, deletes.map((d) => d.s), deletes.map((d) => d.g)],
        );
      }
    },
  };
}
