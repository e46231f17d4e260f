import { readFileSync } from 'node:fs';
import type { RuleSettings } from '@vigil/detection';
import type { HttpApp } from '@vigil/http';
import type { Logger } from '@vigil/logging';
import type { Pool } from '@vigil/postgres';
import { createSimulationQueue, startSimulationWorker, type RedisTarget } from '@vigil/redis';
import type { SearchClient } from '@vigil/search';
import { registerRuleBackupRoutes, registerRuleExportRoutes } from '../routes/rule-export-routes.ts';
import { registerRuleHistoryRoutes, registerRuleLifecycleRoutes } from '../routes/rule-lifecycle-routes.ts';
import { registerSimulationRoutes } from '../routes/simulation-routes.ts';
import { runSimulation } from './run-simulation.ts';
import type { SimulationJobData, SimulationResult } from './simulation-job.ts';

export interface RulesLifecycleSettings {
  /** The Redis URL, or its connection with TLS trust (`loadStoreConnections`). */
  readonly redisUrl: RedisTarget;
  readonly concurrency: number;
  readonly perTenant: number;
  readonly maxAlerts: number;
  readonly maxRangeDays: number;
  readonly defaults: RuleSettings;
}

/** The version a backup records as its exporter: the repository's package version. */
const vigilVersion = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';

/**
 * The rule lifecycle endpoints (history, diff, audit, change, delete, settings, export,
 * simulation, backup/restore) with the permission each needs, and the simulation worker.
 * The worker runs in this process (docs/rules.md says why): it only reads Postgres and
 * OpenSearch, and SIMULATION_CONCURRENCY bounds the CPU it takes from the API.
 */
export async function registerRulesLifecycle(http: HttpApp, deps: { pool: Pool; search: SearchClient; logger: Logger }, settings: RulesLifecycleSettings): Promise<{ close(): Promise<void> }> {
  const { pool, search, logger } = deps;
  const queue = await createSimulationQueue<SimulationJobData, SimulationResult>(settings.redisUrl, { perTenant: settings.perTenant });
  const worker = startSimulationWorker<SimulationJobData, SimulationResult>(settings.redisUrl, settings.concurrency, async (data, ctx) => {
    logger.info({ tenant: data.tenantId, rule: data.rule.kind === 'stored' ? data.rule.key : 'draft' }, 'simulation started');
    return runSimulation({ pool, search, defaults: settings.defaults, maxAlerts: settings.maxAlerts }, data, ctx);
  });
  await http.app.register(async (scope) => {
    scope.addHook('onRequest', http.authenticate('rules:read'));
    registerRuleHistoryRoutes(scope, pool);
    registerRuleExportRoutes(scope, pool);
  });
  await http.app.register(async (scope) => {
    scope.addHook('onRequest', http.authenticate('rules:write'));
    scope.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
    registerRuleLifecycleRoutes(scope, pool);
    registerSimulationRoutes(scope, pool, queue, { maxRangeDays: settings.maxRangeDays });
  });
  await http.app.register(async (scope) => {
    scope.addHook('onRequest', http.authenticate('admin:rules'));
    registerRuleBackupRoutes(scope, pool, vigilVersion);
  });
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
