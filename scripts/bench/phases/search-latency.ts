import type { Alert } from '@vigil/contracts';
import { alertIndexFor, bulkWrite, type SearchClient } from '@vigil/search';
import { aggregationBody, aggregationSchema, effectiveRange, alertQuery, alertSearchSchema, alertSortOf, parseParams } from '@vigil/query-api';
import { gatewayAlert, indexerOp, vigilBody } from '../alerts.ts';
import { ratio, round, summary } from '../stats.ts';

/** One request shape: its p50/p99 through the query API and sent straight to OpenSearch. */
export interface RequestLatency {
  readonly api: ReturnType<typeof summary>;
  readonly direct: ReturnType<typeof summary>;
  readonly ratioP50: number | null;
  readonly ratioP99: number | null;
}

export interface SearchLatency {
  readonly tenantAlerts: number;
  readonly totalAlerts: number;
  readonly loadSeconds: number;
  readonly samples: number;
  readonly requests: Record<string, RequestLatency>;
}

export interface SearchLatencyDeps {
  readonly search: SearchClient;
  /** Base URL of a running query API and an analyst token of `tenant`. */
  readonly queryUrl: string;
  readonly token: string;
  readonly tenant: string;
  readonly runId: string;
  onCleanup(step: () => Promise<void>): void;
  log(line: string): void;
}

const TOTAL_CAP = 10_000;

/**
 * Search and aggregation latency on a tenant holding `n` alerts among `4n` (three other
 * tenants hold the rest, in the same index), through the query API against the very
 * OpenSearch body the API builds (its own builders) sent straight to OpenSearch. The
 * alerts go into a daily index of a past day of their own (cleaned up after), written with
 * the indexer's bulk operations, so nobody else's traffic shares the index.
 */
export async function searchLatency(deps: SearchLatencyDeps, options: { n: number; samples: number }): Promise<SearchLatency> {
  const { search, tenant } = deps;
  const day = Date.UTC(2001, 0, 1) + (parseInt(deps.runId.replace(/\D/g, '').slice(-3) || '0', 10) % 365) * 86_400_000 + 43_200_000;
  const index = alertIndexFor(day);
  deps.onCleanup(async () => void (await search.indices.delete({ index }, { ignore: [404] }).catch(() => undefined)));
  const tenants = [tenant, `${tenant}-o1`, `${tenant}-o2`, `${tenant}-o3`];
  const started = performance.now();
  const CHUNK = 2000;
  for (const [t, owner] of tenants.entries()) {
    for (let first = 0; first < options.n; first += CHUNK) {
      const count = Math.min(CHUNK, options.n - first);
      // Spread over the day so the histogram and time filters have something to cut; the
      // gateway's clock reads the end of that day, so no event time is in its future.
      const alerts: Alert[] = Array.from({ length: count }, (_, k) => gatewayAlert(vigilBody(first + k, { stream: `${owner}-${t}`, now: day - 43_000_000 + ((first + k) * 7919) % 86_000_000, withId: true }), owner, day + 43_200_000));
      const results = await bulkWrite(search, alerts.map((a) => indexerOp(a, index, day)));
      const failed = results.filter((r) => !r.ok).length;
      if (failed > 0) throw new Error(`${failed} bench alerts were not indexed`);
    }
    deps.log(`   loaded ${owner}: ${options.n} alerts`);
  }
  await search.indices.refresh({ index });
  const loadSeconds = round((performance.now() - started) / 1000, 1);

  const from = new Date(day - 43_200_000).toISOString();
  const to = new Date(day + 43_199_999).toISOString();
  const now = Date.now();
  const shapes: Record<string, { path: string; body: () => Record<string, unknown> }> = {};
  const searchShape = (qs: Record<string, string | string[]>) => {
    const p = parseParams(alertSearchSchema, qs);
    return { query: alertQuery(tenant, p, null), sort: alertSortOf(p.sort), size: p.size + 1, track_total_hits: TOTAL_CAP };
  };
  const aggShape = (qs: Record<string, string | string[]>) => {
    const p = parseParams(aggregationSchema, qs);
    const range = effectiveRange(p, now);
    return { query: alertQuery(tenant, { ...p, from: range.from, to: range.to }, null), aggs: aggregationBody(p, range), size: 0, track_total_hits: true };
  };
  const url = (qs: Record<string, string | string[]>) => new URLSearchParams(Object.entries(qs).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]))).toString();
  const add = (name: string, route: string, qs: Record<string, string | string[]>, body: (qs: Record<string, string | string[]>) => Record<string, unknown>) => {
    shapes[name] = { path: `${route}?${url(qs)}`, body: () => body(qs) };
  };
  add('search: newest 50 of the day', '/v1/alerts', { from, to, size: '50' }, searchShape);
  add('search: severity high + CIDR + text', '/v1/alerts', { from, to, severity: 'high', src_ip: '10.1.0.0/16', q: 'powershell*', size: '50' }, searchShape);
  add('search: by severity score', '/v1/alerts', { from, to, sort: 'severity_score:desc', size: '100' }, searchShape);
  add('aggs: severity over time + top rules/sources/hosts', '/v1/alerts/aggregations', { from, to, agg: ['severity_over_time', 'top_rules', 'top_sources', 'top_hosts'] }, aggShape);
  add('aggs: top users + destinations, severity high', '/v1/alerts/aggregations', { from, to, severity: 'high', agg: ['top_users', 'top_destinations'] }, aggShape);

  const requests: Record<string, RequestLatency> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const api: number[] = [];
    const direct: number[] = [];
    // Interleaved, after a warm-up of each, so both see the same caches and background load.
    for (let i = -3; i < options.samples; i++) {
      const a0 = performance.now();
      const res = await fetch(`${deps.queryUrl}${shape.path}`, { headers: { authorization: `Bearer ${deps.token}` } });
      if (res.status !== 200) throw new Error(`${name}: query API answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const answer = (await res.json()) as { items?: unknown[]; total?: unknown };
      // A latency of empty answers would flatter the API: the tenant's alerts must be found.
      if (i === -3 && (answer.items?.length === 0 || answer.total === 0)) throw new Error(`${name}: the query API found none of the tenant's alerts`);
      const a1 = performance.now();
      await search.search({ index: 'vigil-alerts-*', body: shape.body() });
      const d1 = performance.now();
      if (i >= 0) {
        api.push(a1 - a0);
        direct.push(d1 - a1);
      }
    }
    const s = { api: summary(api), direct: summary(direct) };
    requests[name] = { ...s, ratioP50: ratio(s.api.p50, s.direct.p50), ratioP99: ratio(s.api.p99, s.direct.p99) };
  }
  await search.indices.delete({ index }, { ignore: [404] });
  return { tenantAlerts: options.n, totalAlerts: options.n * tenants.length, loadSeconds, samples: options.samples, requests };
}
