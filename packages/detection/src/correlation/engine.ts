import { deterministicId, type Alert } from '@vigil/contracts';
import { fieldAccessor } from '../fields/index.ts';
import { routesOf, type CompiledRuleSet } from '../rule-set/compile-rule-set.ts';
import type { CorrelationNode } from './correlation-node.ts';
import { numericTypes } from './correlation-spec.ts';
import { groupOf, groupValuesOf, resolveField, type FieldReader } from './group-key.ts';
import { applyEvent, closeDue, type WindowEffect, type WindowParams, type WindowResult } from './window-core.ts';
import { emptyGroupState, type GroupState, type WindowEvent } from './window-state.ts';

/**
 * Where group states live. The live stage loads them from Postgres under a row lock
 * inside its transaction; simulation keeps them in a Map. Both run this same engine.
 */
export interface GroupStateStore {
  load(node: CorrelationNode, groupKey: string): Promise<GroupState | null>;
  save(node: CorrelationNode, groupKey: string, state: GroupState): Promise<void>;
}

export interface DecisionContext {
  readonly node: CorrelationNode;
  readonly groupKey: string;
  readonly groupValues: Readonly<Record<string, string>>;
}

type WindowDecisionOf<K extends WindowEffect['kind']> = DecisionContext & {
  readonly kind: K;
  readonly effect: Extract<WindowEffect, { kind: K }>;
  /** The alert (or chained firing) decided about; null for a window closed by the watermark. */
  readonly eventId: string | null;
  readonly eventTime: number | null;
  readonly dropped: number;
};

/** Every decision the engine takes, for incidents, audit events and metrics. */
export type EngineDecision =
  | { [K in WindowEffect['kind']]: WindowDecisionOf<K> }[WindowEffect['kind']]
  | { readonly kind: 'ignored'; readonly node: CorrelationNode; readonly eventId: string; readonly eventTime: number; readonly reason: string };

export interface EngineOptions {
  readonly maxEventsPerGroup: number;
}

export const defaultEngineOptions: EngineOptions = Object.freeze({ maxEventsPerGroup: 10_000 });

/** The deterministic id of an incident: tenant, rule, rule version, group values, episode start. */
export function incidentIdOf(tenantId: string, node: CorrelationNode, groupKey: string, start: number): string {
  return deterministicId('vigil.incident', tenantId, node.key, String(node.version), groupKey, String(start));
}

function paramsOf(tenantId: string, node: CorrelationNode, groupKey: string, options: EngineOptions): WindowParams {
  return {
    spec: node.spec,
    allowedLatenessMs: node.settings.allowedLatenessMs,
    maxEvents: options.maxEventsPerGroup,
    incidentId: (start) => incidentIdOf(tenantId, node, groupKey, start),
  };
}

interface Incoming {
  readonly node: CorrelationNode;
  readonly refIndex: number;
  readonly id: string;
  readonly time: number;
  readonly score: number;
  readonly read: FieldReader;
  /** Group and value already known (a repeat of an alert applied through its routes). */
  readonly fixed?: { readonly key: string; readonly v: string | number | undefined };
  /**
   * A firing of a window decided at close (or chained on one): it became known only when
   * the watermark passed that window's end plus its lateness, so the watermark says nothing
   * about whether it is late. It is judged as if it had arrived on time.
   */
  readonly decidedLate?: boolean;
}

/**
 * Where an alert went in a rule set: a correlation (by its state key, i.e. rule version),
 * the `rules:` entry, the group and the aggregated value. Enough to apply a repeat of the
 * alert later (one dedup suppressed) without the alert itself.
 */
export interface Route {
  readonly s: string;
  readonly r: number;
  readonly g: string;
  readonly v?: string | number;
}

/** Readers are compiled once per field name: rules are matched millions of times. */
const accessors = new Map<string, ReturnType<typeof fieldAccessor>>();
function alertReader(alert: Alert): FieldReader {
  return (name) => {
    let accessor = accessors.get(name);
    if (!accessor) {
      accessor = fieldAccessor(name);
      accessors.set(name, accessor);
    }
    return accessor(alert);
  };
}

/**
 * The routes an alert takes through a rule set (those with a group and, where needed, a
 * value): the live stage locks their groups for a whole slice in one statement, and keeps
 * them so the alert's duplicates can follow.
 */
export function alertRoutes(set: CompiledRuleSet, alert: Alert): Route[] {
  const read = alertReader(alert);
  const out: Route[] = [];
  for (const { node, refIndex } of routesOf(set, alert)) {
    const group = groupOf(node, refIndex, read);
    if (!group.ok) continue;
    const event = eventOf(node, refIndex, { node, refIndex, id: alert.id, time: alert.event_time, score: alert.severity_score, read });
    if (typeof event === 'string') continue;
    out.push(event.v === undefined ? { s: node.stateKey, r: refIndex, g: group.key } : { s: node.stateKey, r: refIndex, g: group.key, v: event.v });
  }
  return out;
}

/**
 * A repeat of an alert (dedup suppressed it as a duplicate) through the routes the
 * original took: it counts in the same groups as one more event at its own time. Routes
 * of a rule version that no longer runs are skipped.
 */
export async function correlateRepeat(set: CompiledRuleSet, tenantId: string, routes: readonly Route[], repeat: { id: string; time: number; score: number }, watermark: number, store: GroupStateStore, options: EngineOptions = defaultEngineOptions): Promise<EngineDecision[]> {
  const queue: Incoming[] = [];
  for (const route of routes) {
    const node = set.byStateKey.get(route.s);
    if (node) queue.push({ node, refIndex: route.r, id: repeat.id, time: repeat.time, score: repeat.score, read: () => undefined, fixed: { key: route.g, v: route.v } });
  }
  return drain(tenantId, queue, watermark, store, options);
}

/**
 * One alert through a tenant's rule set: every correlation it feeds, and, when one of
 * them fires, the correlations chained on it. `watermark` is the tenant's event-time
 * progress including this alert.
 */
export async function correlateAlert(set: CompiledRuleSet, alert: Alert, watermark: number, store: GroupStateStore, options: EngineOptions = defaultEngineOptions): Promise<EngineDecision[]> {
  const read = alertReader(alert);
  const queue: Incoming[] = routesOf(set, alert).map(({ node, refIndex }) => ({ node, refIndex, id: alert.id, time: alert.event_time, score: alert.severity_score, read }));
  return drain(alert.tenant_id, queue, watermark, store, options);
}

/**
 * Windows decided at close whose time has come (the caller finds the due groups, e.g.
 * by an index on their `closeAt`).
 */
export async function closeWindows(tenantId: string, due: ReadonlyArray<{ node: CorrelationNode; groupKey: string; groupValues: Readonly<Record<string, string>> }>, watermark: number, store: GroupStateStore, options: EngineOptions = defaultEngineOptions): Promise<EngineDecision[]> {
  const decisions: EngineDecision[] = [];
  const queue: Incoming[] = [];
  for (const { node, groupKey, groupValues } of due) {
    const state = await store.load(node, groupKey);
    if (!state) continue;
    const result = closeDue(paramsOf(tenantId, node, groupKey, options), state, watermark);
    await store.save(node, groupKey, result.state);
    record(decisions, queue, { node, groupKey, groupValues }, result, null, null, firingScore(result), true);
  }
  decisions.push(...(await drain(tenantId, queue, watermark, store, options)));
  return decisions;
}

const firingScore = (result: WindowResult) => Math.max(0, ...result.effects.flatMap((e) => (e.kind === 'opened' ? e.members.map((m) => m.s) : [])));

async function drain(tenantId: string, queue: Incoming[], watermark: number, store: GroupStateStore, options: EngineOptions): Promise<EngineDecision[]> {
  const decisions: EngineDecision[] = [];
  while (queue.length > 0) {
    const incoming = queue.shift()!;
    const { node, refIndex } = incoming;
    const group: ReturnType<typeof groupOf> = incoming.fixed ? { ok: true, key: incoming.fixed.key, values: groupValuesOf(node, incoming.fixed.key) } : groupOf(node, refIndex, incoming.read);
    if (!group.ok) {
      decisions.push({ kind: 'ignored', node, eventId: incoming.id, eventTime: incoming.time, reason: `no value for group-by field ${group.missing}` });
      continue;
    }
    const event = eventOf(node, refIndex, incoming);
    if (typeof event === 'string') {
      decisions.push({ kind: 'ignored', node, eventId: incoming.id, eventTime: incoming.time, reason: event });
      continue;
    }
    const state = (await store.load(node, group.key)) ?? emptyGroupState;
    const onTime = incoming.decidedLate ? Math.min(watermark, incoming.time + node.settings.allowedLatenessMs) : watermark;
    const result = applyEvent(paramsOf(tenantId, node, group.key, options), state, event, onTime);
    if (result.state !== state) await store.save(node, group.key, result.state);
    record(decisions, queue, { node, groupKey: group.key, groupValues: group.values }, result, incoming.id, incoming.time, incoming.score, incoming.decidedLate === true);
  }
  return decisions;
}

/** Turns window effects into decisions, and firings into events for chained correlations. */
function record(decisions: EngineDecision[], queue: Incoming[], context: DecisionContext, result: WindowResult, eventId: string | null, eventTime: number | null, score: number, decidedLate: boolean): void {
  for (const effect of result.effects) {
    // Spelled out: keys added after a spread take a slow V8 map transition each (~5 µs), and
    // this runs for every (rule, group) an alert touches.
    decisions.push({ node: context.node, groupKey: context.groupKey, groupValues: context.groupValues, kind: effect.kind, effect, eventId, eventTime, dropped: result.dropped } as EngineDecision);
    if (effect.kind !== 'opened') continue;
    const firedAt = effect.members[effect.members.length - 1]!.t;
    const read: FieldReader = (name) => context.groupValues[name];
    for (const parent of context.node.parents) {
      queue.push({ node: parent.node, refIndex: parent.refIndex, id: effect.episode.id, time: firedAt, score: Math.max(score, ...effect.members.map((m) => m.s)), read, decidedLate });
    }
  }
}

/** `{ ...base, v }` spelled out (see record). */
function withValue(base: Omit<WindowEvent, 'v'>, v: string | number): WindowEvent {
  return { id: base.id, t: base.t, r: base.r, s: base.s, v };
}

function eventOf(node: CorrelationNode, refIndex: number, incoming: Incoming): WindowEvent | string {
  const base = { id: incoming.id, t: incoming.time, r: refIndex, s: incoming.score };
  if (incoming.fixed) return incoming.fixed.v === undefined ? base : withValue(base, incoming.fixed.v);
  const fields = node.spec.field;
  if (!fields) return base;
  const values = fields.map((f) => incoming.read(resolveField(node, refIndex, f)));
  const missing = fields.find((_, i) => values[i] === undefined || values[i] === '');
  if (missing !== undefined) return `no value for field ${missing}`;
  if (numericTypes.has(node.spec.type)) {
    const n = typeof values[0] === 'number' ? values[0] : Number(String(values[0]).trim());
    if (!Number.isFinite(n) || String(values[0]).trim() === '') return `field ${fields[0]} is not a number`;
    return withValue(base, n);
  }
  return withValue(base, values.length === 1 ? String(values[0]) : JSON.stringify(values.map(String)));
}
