import type { Agent } from 'node:http';
import { ALERT_INDEX_PATTERN, INCIDENT_INDEX } from '@vigil/search';
import { batchBody, vigilBody } from '../alerts.ts';
import { countersBetween, stageCounters, tenantFilter, type Bench, type StageWindow } from '../context.ts';
import { openLoop, type HttpTarget, type StatusCounts } from '../http-load.ts';
import { round, sleep, summary } from '../stats.ts';

export interface Latency {
  readonly tenant: string;
  readonly samples: number;
  readonly ratePerSecond: number;
  readonly accepted: number;
  readonly statuses: StatusCounts;
  readonly pollIntervalMs: number;
  /** 202 → the alert is returned by a search for its id (no forced refresh). */
  readonly searchableMs: ReturnType<typeof summary>;
  /**
   * 202 → the indexer's bulk request for it (its `indexed_at`): the pipeline's hops; the
   * rest of `searchableMs` is the refresh interval and the poll.
   */
  readonly indexedMs: ReturnType<typeof summary>;
  /** 202 → an incident document in vigil-incidents lists the alert id. */
  readonly incidentMs: ReturnType<typeof summary>;
  readonly missingSearchable: number;
  readonly missingIncident: number;
  /** The gateway's own answer time for these single posts. */
  readonly acceptMs: ReturnType<typeof summary>;
  /** Load offered beside the samples (half the end-to-end rate of (4)) and what was accepted of it. */
  readonly background: { readonly offeredAlertsPerSecond: number; readonly acceptedAlertsPerSecond: number; readonly statuses: StatusCounts } | null;
  /** What each stage did meanwhile: at a moderate rate slices are small and their fixed costs count. */
  readonly stages: Record<string, StageWindow>;
}

/** Batches for another tenant (with the same rules) beside the samples: "at half the max rate". */
export interface BackgroundLoad {
  readonly target: HttpTarget;
  readonly tenant: string;
  readonly alertsPerSecond: number;
}

const BACKGROUND_BATCH = 50;

const POLL_MS = 100;

/**
 * Steady-rate single alerts of severity high (so each joins an incident), ids taken
 * from the 202 answers; two pollers search for the ids still outstanding, one in the
 * alert indices, one in the incident index, and note when each first shows up.
 * Twenty source addresses spread the samples over twenty incidents (of 60 alerts with
 * the default 1,200 samples), below the 100 ids an incident document carries.
 */
export async function latency(bench: Bench, agent: Agent, target: HttpTarget, tenant: string, background: BackgroundLoad | null = null): Promise<Latency> {
  const { config, search } = bench;
  const acceptedAt = new Map<string, number>();
  const searchableMs = new Map<string, number>();
  const indexedMs = new Map<string, number>();
  // indexed_at is the indexer's wall clock; the 202s are timed on this process's monotonic one.
  const wallOffset = Date.now() - performance.now();
  const incidentMs = new Map<string, number>();
  const acceptMs: number[] = [];
  let posting = true;

  const pollSearchable = async () => {
    const pending = [...acceptedAt.keys()].filter((id) => !searchableMs.has(id));
    if (pending.length === 0) return;
    const res = await search.search({ index: ALERT_INDEX_PATTERN, body: { size: pending.length, _source: ['indexed_at'], query: { bool: { filter: [tenantFilter(tenant), { ids: { values: pending } }] } } } });
    const t = performance.now();
    for (const hit of (res.body as { hits: { hits: { _id: string; _source?: { indexed_at?: number } }[] } }).hits.hits) {
      if (searchableMs.has(hit._id)) continue;
      searchableMs.set(hit._id, t - acceptedAt.get(hit._id)!);
      const indexedAt = hit._source?.indexed_at;
      if (typeof indexedAt === 'number') indexedMs.set(hit._id, indexedAt - wallOffset - acceptedAt.get(hit._id)!);
    }
  };
  const pollIncidents = async () => {
    const pending = [...acceptedAt.keys()].filter((id) => !incidentMs.has(id));
    if (pending.length === 0) return;
    const res = await search.search({ index: INCIDENT_INDEX, body: { size: 100, _source: ['alert_ids'], query: { bool: { filter: [{ term: { tenant_id: tenant } }, { terms: { alert_ids: pending } }] } } } });
    const t = performance.now();
    for (const hit of (res.body as { hits: { hits: { _source: { alert_ids: string[] } }[] } }).hits.hits) {
      for (const id of hit._source.alert_ids) if (acceptedAt.has(id) && !incidentMs.has(id)) incidentMs.set(id, t - acceptedAt.get(id)!);
    }
  };
  const poller = (async () => {
    let deadline = Infinity;
    for (;;) {
      if (!posting && deadline === Infinity) deadline = performance.now() + config.latencyTimeoutS * 1000;
      await Promise.all([pollSearchable().catch(() => undefined), pollIncidents().catch(() => undefined)]);
      const done = !posting && searchableMs.size >= acceptedAt.size && incidentMs.size >= acceptedAt.size;
      if (done || performance.now() > deadline) return;
      await sleep(POLL_MS);
    }
  })();

  const seconds = config.latencySamples / config.latencyRate;
  const countersStart = await stageCounters(bench);
  const started = performance.now();
  let backgroundAccepted = 0;
  const backgroundRun = background
    ? openLoop({
        agent,
        target: background.target,
        path: '/v1/alerts/batch?format=vigil',
        ratePerSecond: background.alertsPerSecond / BACKGROUND_BATCH,
        seconds,
        maxInFlight: 64,
        readBody: true,
        body: (i) => batchBody(i * BACKGROUND_BATCH, BACKGROUND_BATCH, { stream: background.tenant, now: Date.now() }),
        onResult: (r) => {
          if (r.status === 202) backgroundAccepted += BACKGROUND_BATCH;
        },
      })
    : null;
  const run = await openLoop({
    agent,
    target,
    path: '/v1/alerts?format=vigil',
    ratePerSecond: config.latencyRate,
    seconds,
    maxInFlight: 64,
    readBody: true,
    body: (k) => Buffer.from(JSON.stringify(vigilBody(k, { stream: tenant, now: Date.now(), severity: 'high', srcIp: `198.18.0.${k % 20}` }))),
    onResult: (r) => {
      if (r.status !== 202 || !r.body) return;
      acceptMs.push(r.ms);
      const id = (JSON.parse(r.body) as { id?: string }).id;
      if (id) acceptedAt.set(id, r.at);
    },
  });
  const loaded = await backgroundRun;
  posting = false;
  const stages = countersBetween(countersStart, await stageCounters(bench), (performance.now() - started) / 1000);
  await poller;
  return {
    tenant,
    samples: run.sent,
    ratePerSecond: config.latencyRate,
    accepted: acceptedAt.size,
    statuses: run.statuses,
    pollIntervalMs: POLL_MS,
    searchableMs: summary([...searchableMs.values()].map((v) => round(v))),
    indexedMs: summary([...indexedMs.values()].map((v) => round(v))),
    incidentMs: summary([...incidentMs.values()].map((v) => round(v))),
    missingSearchable: acceptedAt.size - searchableMs.size,
    missingIncident: acceptedAt.size - incidentMs.size,
    acceptMs: summary(acceptMs.map((v) => round(v, 1))),
    stages,
    background: background && loaded ? { offeredAlertsPerSecond: round(background.alertsPerSecond), acceptedAlertsPerSecond: round(backgroundAccepted / loaded.seconds), statuses: loaded.statuses } : null,
  };
}
