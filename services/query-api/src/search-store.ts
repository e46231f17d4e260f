import { VigilError } from '@vigil/errors';
import type { HandleStore } from '@vigil/redis';
import { ALERT_INDEX_PATTERN, INCIDENT_INDEX, searchCall, type SearchClient } from '@vigil/search';
import type { Clause } from './alert-query.ts';
import type { CursorCodec, CursorPayload } from './cursor.ts';
import type { TenantGuard } from './tenant-guard.ts';

/** Paging caps: page size and how many documents a cursor chain may walk past. */
export const MAX_PAGE_SIZE = 500;
export const MAX_DEPTH = 50_000;
// Totals are exact up to here and reported as a lower bound beyond, so big tenants stay fast.
const TOTAL_CAP = 10_000;

export type Kind = 'alerts' | 'incidents';
const indexOf: Record<Kind, string> = { alerts: ALERT_INDEX_PATTERN, incidents: INCIDENT_INDEX };

export interface PageRequest {
  readonly tenant: string;
  readonly kind: Kind;
  readonly query: Clause;
  readonly sort: ReadonlyArray<Record<string, unknown>>;
  readonly size: number;
  readonly queryHash: string;
  readonly cursor: string | undefined;
  readonly now: number;
}

export interface Page {
  readonly total: { value: number; relation: 'eq' | 'gte' };
  readonly items: Array<Record<string, unknown>>;
  readonly next_cursor?: string;
}

interface Hit {
  _source: Record<string, unknown>;
  sort?: Array<string | number | null>;
}
interface SearchAnswer {
  hits: { total: { value: number; relation: 'eq' | 'gte' }; hits: Hit[] };
  aggregations?: Record<string, unknown>;
  pit_id?: string;
}

const errorType = (err: unknown) => (err as { meta?: { body?: { error?: { type?: string; root_cause?: Array<{ type?: string }> } } } }).meta?.body?.error;

/** Index names and query shapes come from this service only, never from a request. */
export function createSearchStore(client: SearchClient, codec: CursorCodec, guard: TenantGuard, cursorTtlMs: number, pits: HandleStore) {
  const keepAlive = `${Math.ceil(cursorTtlMs / 1000)}s`;

  async function run(index: string | null, body: object): Promise<SearchAnswer> {
    try {
      const response = await searchCall(() => (index === null ? client.search({ body }) : client.search({ index, body, ignore_unavailable: true, allow_no_indices: true })));
      return response.body as unknown as SearchAnswer;
    } catch (err) {
      const e = errorType(err);
      const types = [e?.type, ...(e?.root_cause ?? []).map((c) => c.type)];
      // A point in time that expired (or was closed) cannot be continued.
      if (types.includes('search_context_missing_exception')) throw new VigilError('CURSOR_INVALID', 'cursor has expired; start again without a cursor', { path: 'cursor' });
      // The cluster refused the query these parameters built (a value its mapping cannot
      // take): the client's to change, not a 500. The cluster's own words stay in the log.
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 400) {
        throw new VigilError('QUERY_INVALID', `the search cannot run with these parameters (${types.find((t) => t !== undefined) ?? 'refused by the search cluster'}); check the values of from, to, label and the filters`, {}, { cause: err });
      }
      throw err;
    }
  }

  async function openPit(kind: Kind): Promise<string | null> {
    try {
      const response = await searchCall(() => client.createPit({ index: indexOf[kind], keep_alive: keepAlive, allow_partial_pit_creation: false }));
      return (response.body as { pit_id?: string }).pit_id ?? null;
    } catch (err) {
      if (errorType(err)?.type === 'index_not_found_exception') return null;
      throw err;
    }
  }

  function closePit(pit: string): void {
    // Best effort: an unclosed point in time expires with its keep-alive anyway.
    void client.deletePit({ body: { pit_id: [pit] } }).catch(() => undefined);
  }

  async function page(req: PageRequest): Promise<Page> {
    let state: CursorPayload | null = null;
    if (req.cursor !== undefined) state = codec.decode(req.cursor, { tenant: req.tenant, kind: req.kind, queryHash: req.queryHash, now: req.now });
    const seen = state?.seen ?? 0;
    if (seen + req.size > MAX_DEPTH) throw new VigilError('QUERY_TOO_DEEP', `paging stops after ${MAX_DEPTH} documents; narrow the filters or the time range`, { path: 'cursor' });
    // The first page reads the live index; a point in time is opened when a cursor is first
    // used, so one-page looks hold no search context and later pages read one snapshot.
    // The cursor carries a handle; the point-in-time id itself (kilobytes with many
    // indices) stays server-side, bound to the tenant.
    const kept = state?.pit ? await pits.get(req.tenant, state.pit) : null;
    if (state?.pit && kept === null) throw new VigilError('CURSOR_INVALID', 'cursor has expired; start again without a cursor', { path: 'cursor' });
    const pit = state ? (kept ?? (await openPit(req.kind))) : null;
    if (state && pit === null) return { total: { value: 0, relation: 'eq' }, items: [] };
    const body: Record<string, unknown> = {
      query: req.query,
      sort: req.sort,
      size: req.size + 1,
      track_total_hits: TOTAL_CAP,
      ...(state ? { search_after: state.sa } : {}),
      ...(pit ? { pit: { id: pit, keep_alive: keepAlive } } : {}),
    };
    const answer = await run(pit ? null : indexOf[req.kind], body);
    const hits = answer.hits.hits;
    const more = hits.length > req.size;
    const shown = hits.slice(0, req.size);
    const items = guard(req.tenant, shown.map((h) => h._source), req.kind);
    const last = shown[shown.length - 1];
    const pitNow = answer.pit_id ?? pit;
    if (!more && pitNow) closePit(pitNow);
    const handle = more && pitNow ? await pits.put(req.tenant, pitNow, cursorTtlMs, state?.pit ?? undefined) : null;
    const next =
      more && last?.sort
        ? codec.encode({ tn: req.tenant, kind: req.kind, qh: req.queryHash, sa: last.sort, pit: handle, seen: seen + req.size, exp: req.now + cursorTtlMs })
        : undefined;
    return { total: answer.hits.total, items, ...(next ? { next_cursor: next } : {}) };
  }

  async function one(tenant: string, kind: Kind, filter: Clause[]): Promise<Record<string, unknown> | null> {
    const answer = await run(indexOf[kind], { query: { bool: { filter } }, size: 1 });
    return guard(tenant, answer.hits.hits.map((h) => h._source), kind)[0] ?? null;
  }

  async function aggregate(kind: Kind, query: Clause, aggs: Record<string, unknown>): Promise<{ total: number; aggregations: Record<string, unknown> }> {
    const answer = await run(indexOf[kind], { query, aggs, size: 0, track_total_hits: true });
    return { total: answer.hits.total.value, aggregations: answer.aggregations ?? {} };
  }

  /** Which of these ids are documents of this tenant (the others may not exist or be another's). */
  async function ownIds(tenant: string, kind: Kind, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const answer = await run(indexOf[kind], { query: { bool: { filter: [{ term: { tenant_id: tenant } }, { terms: { id: [...ids] } }] } }, _source: ['id', 'tenant_id'], size: ids.length });
    return new Set(guard(tenant, answer.hits.hits.map((h) => h._source), kind).map((d) => String(d['id'])));
  }

  return { page, one, aggregate, ownIds };
}

export type SearchStore = ReturnType<typeof createSearchStore>;
