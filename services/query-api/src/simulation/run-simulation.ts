import { createSimulation, defaultSimulationLimits, type RuleSettings } from '@vigil/detection';
import { VigilError } from '@vigil/errors';
import { inTransaction, type Pool } from '@vigil/postgres';
import type { JobContext } from '@vigil/redis';
import { loadRules, ruleVersion, simulationRuleSet, type SimulatedRule } from '@vigil/rules';
import { countAlerts, scanAlerts, type SearchClient } from '@vigil/search';
import type { SimulationJobData, SimulationResult } from './simulation-job.ts';

export interface SimulationDeps {
  readonly pool: Pool;
  readonly search: SearchClient;
  readonly defaults: RuleSettings;
  readonly maxAlerts: number;
  readonly pageSize?: number;
  readonly now?: () => number;
}

/** The rule to simulate, resolved against the tenant's stored rules when the job starts. */
async function resolveRule(pool: Pool, data: SimulationJobData): Promise<{ stored: Awaited<ReturnType<typeof loadRules>>; target: SimulatedRule }> {
  return inTransaction(pool, async (client) => {
    const stored = await loadRules(client, data.tenantId);
    if (data.rule.kind === 'draft') return { stored, target: { kind: 'draft', source: data.rule.source } };
    const { key, version } = data.rule;
    const found = await ruleVersion(client, data.tenantId, key, version);
    if (!found) throw new VigilError('NOT_FOUND', `no rule ${key} version ${version} for this tenant`);
    const settings = stored.find((r) => r.key === key)?.settings ?? {};
    return { stored, target: { kind: 'stored', key, version, source: found.source, settings } };
  });
}

/**
 * One simulation job: the tenant's stored alerts of the range, in event-time order, through
 * the same engine and incident building as the live stage, on an in-memory state store.
 * Reads Postgres (rules) and OpenSearch (alerts); writes nothing but the job's result.
 */
export async function runSimulation(deps: SimulationDeps, data: SimulationJobData, ctx: JobContext): Promise<SimulationResult> {
  const { stored, target } = await resolveRule(deps.pool, data);
  const built = simulationRuleSet(stored, target, deps.defaults);
  if (!built.ok) throw new VigilError('RULE_INVALID', built.problems.map((p) => `${p.path}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('; ').slice(0, 1000));
  const scan = { tenantId: data.tenantId, from: data.from, to: data.to, pageSize: deps.pageSize ?? 1000 };
  const total = await countAlerts(deps.search, scan);
  const simulation = createSimulation(built.set, data.tenantId, (deps.now ?? Date.now)(), defaultSimulationLimits);
  let cancelled = await ctx.cancelled();
  let capped = false;
  if (!cancelled) for await (const page of scanAlerts(deps.search, scan)) {
    for (const alert of page) {
      if (simulation.alertsRead >= deps.maxAlerts) {
        capped = true;
        break;
      }
      await simulation.feed(alert);
    }
    // As the live stage does after each slice: windows decided at close whose time has come.
    await simulation.closeDue();
    await ctx.progress({ alerts_read: simulation.alertsRead, alerts_total: total, incidents: simulation.outcome().incident_count });
    if (capped) break;
    if (await ctx.cancelled()) {
      cancelled = true;
      break;
    }
  }
  const outcome = simulation.outcome();
  const capNote = capped ? `stopped after ${deps.maxAlerts} alerts (SIMULATION_MAX_ALERTS) of ${total}; narrow the time range` : null;
  const message = [outcome.message, capNote, cancelled ? 'cancelled: the result covers the alerts read until then' : null].filter((m): m is string => m !== null).join('; ') || null;
  return {
    ...outcome,
    truncated: outcome.truncated || capped,
    message,
    rule: { id: built.key, version: built.version },
    rule_set: built.rules,
    from: data.from,
    to: data.to,
    alerts_total: total,
    cancelled,
  };
}
