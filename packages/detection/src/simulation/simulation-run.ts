import type { Alert, Incident } from '@vigil/contracts';
import { closeWindows, correlateAlert, defaultEngineOptions, type EngineDecision, type EngineOptions } from '../correlation/engine.ts';
import { groupValuesOf } from '../correlation/group-key.ts';
import { createMemoryStateStore } from '../correlation/memory-state-store.ts';
import type { CompiledRuleSet } from '../rule-set/compile-rule-set.ts';
import { joinedIncident, openedIncident } from '../incident/incident-build.ts';

/** Caps that keep a simulation's answer (stored in Redis, sent over HTTP) small. */
export interface SimulationLimits {
  readonly maxIncidents: number;
  readonly maxMembersPerIncident: number;
}

export const defaultSimulationLimits: SimulationLimits = Object.freeze({ maxIncidents: 500, maxMembersPerIncident: 200 });

export interface SimulatedIncident extends Incident {
  /** Every member (up to the cap) with its event time, in the order they joined. */
  readonly members: ReadonlyArray<{ readonly id: string; readonly event_time: number }>;
}

export interface SimulationOutcome {
  readonly alerts_read: number;
  /** All incidents the rules would have raised, also those beyond the cap. */
  readonly incident_count: number;
  readonly incidents: readonly SimulatedIncident[];
  readonly truncated: boolean;
  /** Set when something was capped: what, and how to see the rest. */
  readonly message: string | null;
  /** Engine decisions by kind (opened, joined, counted, late, ignored, ...). */
  readonly decisions: Readonly<Record<string, number>>;
}

export interface Simulation {
  /** One alert, in event-time order; the watermark follows the newest event time as live. */
  feed(alert: Alert): Promise<void>;
  /** Decide the windows the watermark has closed (the live stage does it once per slice). */
  closeDue(): Promise<void>;
  readonly alertsRead: number;
  outcome(): SimulationOutcome;
}

interface Held {
  incident: Incident;
  members: Array<{ id: string; event_time: number }>;
  memberCount: number;
}

/**
 * The live engine (`correlateAlert`, `closeWindows`) on an in-memory state store, with the
 * live stage's incident building: the incidents a rule set would have raised over a run
 * of alerts, writing nothing anywhere. `now` stands for the wall clock the live stage
 * stamps on incidents (updated_at); it never influences a decision.
 */
export function createSimulation(set: CompiledRuleSet, tenantId: string, now: number, limits: SimulationLimits = defaultSimulationLimits, engine: EngineOptions = defaultEngineOptions): Simulation {
  const store = createMemoryStateStore();
  const nodes = set.byStateKey;
  const held = new Map<string, Held>();
  const beyondCap = new Set<string>();
  const decisions: Record<string, number> = {};
  let watermark = -Infinity;
  let alertsRead = 0;

  function apply(list: readonly EngineDecision[]): void {
    for (const d of list) {
      decisions[d.kind] = (decisions[d.kind] ?? 0) + 1;
      if (d.kind === 'opened' && d.node.raisesIncidents) {
        const id = d.effect.episode.id;
        if (held.has(id) || beyondCap.has(id)) continue;
        if (held.size >= limits.maxIncidents) {
          beyondCap.add(id);
          continue;
        }
        const members = d.effect.members.map((m) => ({ id: m.id, event_time: m.t }));
        held.set(id, { incident: openedIncident(tenantId, d, now), members: members.slice(0, limits.maxMembersPerIncident), memberCount: members.length });
      } else if (d.kind === 'joined' && d.node.raisesIncidents) {
        const entry = held.get(d.effect.episode.id);
        if (!entry) continue;
        // Simulated incidents are never closed by an analyst: nothing reopens.
        entry.incident = joinedIncident(entry.incident, d, null, now).incident;
        entry.memberCount += 1;
        if (entry.members.length < limits.maxMembersPerIncident) entry.members.push({ id: d.effect.member.id, event_time: d.effect.member.t });
      }
    }
  }

  return {
    async feed(alert) {
      alertsRead += 1;
      watermark = Math.max(watermark, alert.event_time);
      apply(await correlateAlert(set, alert, watermark, store, engine));
    },
    async closeDue() {
      if (!Number.isFinite(watermark)) return;
      const due = [];
      for (const [key, state] of store.entries()) {
        if (state.closeAt === null || state.closeAt >= watermark) continue;
        const [stateKey, groupKey] = key.split('\u0000') as [string, string];
        const node = nodes.get(stateKey);
        if (node) due.push({ node, groupKey, groupValues: groupValuesOf(node, groupKey) });
      }
      if (due.length > 0) apply(await closeWindows(tenantId, due, watermark, store, engine));
    },
    get alertsRead() {
      return alertsRead;
    },
    outcome() {
      const incidents = [...held.values()].map((h) => ({ ...h.incident, members: h.members }));
      const count = held.size + beyondCap.size;
      const cappedMembers = [...held.values()].filter((h) => h.memberCount > h.members.length).length;
      const notes = [
        beyondCap.size > 0 ? `showing the first ${held.size} of ${count} incidents; narrow the time range to see the others` : null,
        cappedMembers > 0 ? `${cappedMembers} incident(s) list only their first ${limits.maxMembersPerIncident} members (alert_count has the full number)` : null,
      ].filter((n): n is string => n !== null);
      return { alerts_read: alertsRead, incident_count: count, incidents, truncated: notes.length > 0, message: notes.length > 0 ? notes.join('; ') : null, decisions: { ...decisions } };
    },
  };
}
