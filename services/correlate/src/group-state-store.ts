import type { CorrelationNode, GroupState, GroupStateStore } from '@vigil/detection';
import { prepared, type PoolClient } from '@vigil/postgres';

/** One row of correlation_groups in memory: every rule's state for one group key. */
interface Cached {
  readonly states: Map<string, GroupState>;
  dirty: boolean;
  /** No row existed when the transaction looked: flush inserts it (and detects a race). */
  created: boolean;
  /** The row's stored due time (epoch ms), null for none. */
  readonly storedDue: number | null;
  /** Selected by the sweep: its due time is rewritten whatever it was. */
  swept: boolean;
}

interface Row {
  group_key: string;
  states: string;
  due: number | null;
}

/** The columns a transaction reads of a row; the due time as epoch ms. */
const ROW_COLUMNS = 'group_key, states, (extract(epoch FROM close_at) * 1000)::float8 AS due';

const LOCK_GROUPS = prepared(
  'correlate.lock-groups',
  `SELECT ${ROW_COLUMNS} FROM correlation_groups WHERE tenant_id = $1 AND group_key = ANY($2::text[]) ORDER BY group_key FOR UPDATE`,
);

const LOCK_DUE = prepared(
  'correlate.lock-due',
  `SELECT ${ROW_COLUMNS} FROM correlation_groups WHERE tenant_id = $1 AND close_at < $2 ORDER BY close_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
);

/**
 * A transaction's changed rows in one statement (inserts, updates, deletes touch different
 * keys). An insert that finds the row already there was raced by another worker: the
 * count tells, and the slice is redone.
 */
const WRITE_GROUPS = prepared(
  'correlate.write-groups',
  `WITH inserted AS (
     INSERT INTO correlation_groups (tenant_id, group_key, states, close_at)
     SELECT $1, r.g, r.st::text, to_timestamp(r.c / 1000.0) FROM json_to_recordset($2::json) AS r(g text, st json, c double precision)
     ON CONFLICT DO NOTHING RETURNING 1
   ), updated AS (
     UPDATE correlation_groups c SET states = r.st::text, close_at = CASE WHEN r.k THEN c.close_at ELSE to_timestamp(r.c / 1000.0) END, updated_at = now()
       FROM json_to_recordset($3::json) AS r(g text, st json, c double precision, k boolean)
      WHERE c.tenant_id = $1 AND c.group_key = r.g
   ), deleted AS (
     DELETE FROM correlation_groups WHERE tenant_id = $1 AND group_key = ANY($4::text[])
   )
   SELECT count(*)::int AS inserted FROM inserted`,
);

/** A (rule version, group) whose window the watermark has passed. */
export interface DueState {
  readonly stateKey: string;
  readonly groupKey: string;
}

export interface PgStateStore extends GroupStateStore {
  /** Lock the rows of these groups in one go, in key order. */
  prefetch(groups: ReadonlyArray<{ node: CorrelationNode; groupKey: string }>): Promise<void>;
  /** The open episodes (incident ids) of these groups' states, as prefetched, of rules that raise incidents. */
  episodes(groups: ReadonlyArray<{ node: CorrelationNode; groupKey: string }>): string[];
  /**
   * Lock up to `limit` rows of the tenant with something due before `watermark` (rows
   * another worker holds are skipped): states the watermark has left behind, and states
   * of rule versions that no longer run, are dropped; the windows decided at close that
   * are due are returned, for the engine to close.
   */
  lockDue(watermark: number, limit: number): Promise<{ due: DueState[]; dropped: number }>;
  /** Write every changed row, in one statement for the transaction. */
  flush(): Promise<void>;
}

interface GroupRow {
  g: string;
  st: Record<string, GroupState>;
  c: number | null;
  /** Keep the stored due time (see `keepsDue`). */
  k: boolean;
}

const empty = (s: GroupState) => s.events.length === 0 && s.episode === null;

/**
 * When the sweep must look at a state: the close of its oldest open window, or else the
 * watermark past which the engine would prune all of it (its newest event or episode
 * member older than timespan plus lateness, as window-core.ts prunes). A group nobody
 * alerts on again (a host seen once) would otherwise keep its row for ever. A state of
 * a rule version that no longer runs is due at once.
 */
function dueAt(node: CorrelationNode | undefined, s: GroupState): number {
  if (s.closeAt !== null) return s.closeAt;
  if (!node) return 0;
  const newest = Math.max(s.events.at(-1)?.t ?? -Infinity, s.episode?.last ?? -Infinity);
  return newest + node.spec.timespanMs + node.settings.allowedLatenessMs;
}

/**
 * Rows go as one JSON document with each row's states nested, not pre-serialised: a text
 * array would escape every quote of every state again (node-postgres' escapeElement).
 */
const rowsParam = (rows: readonly GroupRow[]) => JSON.stringify(rows);

function serialise(groupKey: string, states: ReadonlyMap<string, GroupState>, nodes: ReadonlyMap<string, CorrelationNode>): GroupRow {
  let due = Infinity;
  for (const [stateKey, s] of states) due = Math.min(due, dueAt(nodes.get(stateKey), s));
  return { g: groupKey, st: Object.fromEntries(states), c: Number.isFinite(due) ? due : null, k: false };
}

/**
 * Whether an update leaves the row's due time as stored: when it is not later than the
 * new one. A due time that is early only makes the sweep look at the row sooner, find
 * nothing due and write the right one (it always rewrites what it selects). Unchanged,
 * the indexed column lets PostgreSQL update a hot group's row in place (a HOT update,
 * fillfactor in migration 015): its new version goes on the same page and no index entry
 * is added, where otherwise every alert of a busy host or user left one more dead version
 * behind in both indexes for every later lookup to step over until the next vacuum.
 */
function keepsDue(cached: Cached, due: number | null): boolean {
  if (cached.swept || cached.storedDue === null) return false;
  return due === null || cached.storedDue <= due;
}

/**
 * Group states in Postgres for one transaction, one row per group key holding the state of
 * every rule grouped on it: an alert's ~15 (rule, group) states live in the few rows of its
 * host, user and addresses. Rows are locked FOR UPDATE before they are read, so two workers
 * never interleave on one group; locks are taken in key order, which keeps two slices from
 * deadlocking on each other. Reads after the first come from memory.
 */
export function createPgStateStore(client: PoolClient, tenantId: string, nodes: ReadonlyMap<string, CorrelationNode>): PgStateStore {
  const cache = new Map<string, Cached>();

  const adopt = (row: Row) => {
    if (!cache.has(row.group_key)) cache.set(row.group_key, { states: new Map(Object.entries(JSON.parse(row.states) as Record<string, GroupState>)), dirty: false, created: false, storedDue: row.due, swept: false });
  };

  /**
   * Lock the existing rows of these group keys. A key without a row starts empty and is
   * inserted at flush; if another worker inserted it meanwhile, flush throws a
   * serialization failure and the slice is redone (it then finds and locks the row).
   */
  async function lockExisting(groupKeys: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const key of groupKeys) if (!cache.has(key)) wanted.add(key);
    if (wanted.size === 0) return;
    const result = await client.query<Row>(LOCK_GROUPS([tenantId, [...wanted]]));
    for (const row of result.rows) adopt(row);
    for (const key of wanted) if (!cache.has(key)) cache.set(key, { states: new Map(), dirty: false, created: true, storedDue: null, swept: false });
  }

  /** Every load and save of the engine: a cache hit (the slice prefetched it) does no work. */
  async function entry(groupKey: string): Promise<Cached> {
    const cached = cache.get(groupKey);
    if (cached) return cached;
    await lockExisting([groupKey]);
    return cache.get(groupKey)!;
  }

  return {
    prefetch: (groups) => lockExisting(groups.map((g) => g.groupKey)),
    episodes(groups) {
      const ids = new Set<string>();
      for (const { node, groupKey } of groups) {
        const episode = node.raisesIncidents ? cache.get(groupKey)?.states.get(node.stateKey)?.episode : undefined;
        if (episode) ids.add(episode.id);
      }
      return [...ids];
    },
    async load(node, groupKey) {
      return (await entry(groupKey)).states.get(node.stateKey) ?? null;
    },
    async save(node, groupKey, state) {
      const cached = await entry(groupKey);
      // An empty group leaves nothing behind: the table holds only groups with a future.
      if (empty(state)) cached.states.delete(node.stateKey);
      else cached.states.set(node.stateKey, state);
      cached.dirty = true;
    },
    async lockDue(watermark, limit) {
      const result = await client.query<Row>(LOCK_DUE([tenantId, new Date(watermark), limit]));
      const due: DueState[] = [];
      let dropped = 0;
      for (const row of result.rows) {
        // A row this transaction already holds is newer in memory than in the table.
        adopt(row);
        const cached = cache.get(row.group_key)!;
        // Rewritten at flush even if nothing in it is due any more (its due time was kept
        // early, or its rules' settings changed since it was written): its due time is
        // then brought up to date, instead of the sweep selecting it again on every slice.
        cached.dirty = true;
        cached.swept = true;
        for (const [stateKey, state] of cached.states) {
          const node = nodes.get(stateKey);
          if (dueAt(node, state) >= watermark) continue;
          if (node && state.closeAt !== null) {
            due.push({ stateKey, groupKey: row.group_key });
            continue;
          }
          cached.states.delete(stateKey);
          dropped += 1;
        }
      }
      return { due, dropped };
    },
    async flush() {
      const inserts: GroupRow[] = [];
      const updates: GroupRow[] = [];
      const deletes: string[] = [];
      for (const [groupKey, cached] of cache) {
        if (!cached.dirty) continue;
        cached.dirty = false;
        if (cached.states.size === 0) {
          if (!cached.created) deletes.push(groupKey);
          continue;
        }
        const row = serialise(groupKey, cached.states, nodes);
        if (cached.created) {
          inserts.push(row);
        } else {
          row.k = keepsDue(cached, row.c);
          updates.push(row);
        }
        cached.created = false;
      }
      if (inserts.length + updates.length + deletes.length === 0) return;
      const written = await client.query<{ inserted: number }>(WRITE_GROUPS([tenantId, rowsParam(inserts), rowsParam(updates), deletes]));
      if (written.rows[0]!.inserted !== inserts.length) throw Object.assign(new Error('a concurrent worker created a correlation group this slice also created; redoing the slice'), { code: '40001' });
    },
  };
}
