import { verifierFromConfig } from '@vigil/auth';
import { parseConfig } from '@vigil/config';
import { createHttpApp } from '@vigil/http';
import { exitOnSignals } from '@vigil/process';
import { createLogger } from '@vigil/logging';
import { createMetricsRegistry, startOpsServer } from '@vigil/metrics';
import { createPool, postgresHealthy } from '@vigil/postgres';
import { createHandleStore, createRedisClient } from '@vigil/redis';
import { createSearchClient, searchHealthy } from '@vigil/search';
import { defaultRuleSettings } from '@vigil/detection';
import { registerRulesLifecycle } from './simulation/rules-lifecycle-module.ts';
import { queryConfigSchema } from './config.ts';
import { registerLateAlertRoutes } from './routes/late-alert-routes.ts';
import { createCursorCodec } from './cursor.ts';
import { registerAnalystRoutes } from './routes/analyst-routes.ts';
import { startRetention } from './retention-schedule.ts';
import { createTenantGuard } from './tenant-guard.ts';
import { registerRuleReadRoutes, registerRuleWriteRoutes } from './routes/rule-routes.ts';
import { createSearchStore } from './search-store.ts';
import { startNotifications } from './webhooks/webhook-module.ts';

const config = parseConfig('query-api', queryConfigSchema, process.env);
const logger = createLogger({ service: 'query-api', level: config.LOG_LEVEL });
const search = createSearchClient(config.OPENSEARCH_URL);
const pool = createPool(config.DATABASE_URL, 'vigil-query-api');
const ready = async () => (await searchHealthy(search)) && (await postgresHealthy(pool));
const verifier = verifierFromConfig(config);
const http = createHttpApp({ logger, bodyLimitBytes: 65_536, requestTimeoutMs: config.REQUEST_TIMEOUT_MS, verifier, ready });
const codec = createCursorCodec(config.CURSOR_KEY);
// Cursors carry a handle to their point in time, kept in Redis (its id outgrows a URL).
const redis = createRedisClient(config.REDIS_URL, 'vigil-query-api');
const store = createSearchStore(search, codec, createTenantGuard(logger), config.CURSOR_TTL_MS, createHandleStore(redis, 'pit'));
// Each resource family checks its own permission; the tenant always comes from the token.
// Incident webhooks: routes, dispatcher and delivery worker in this process (docs/query-api.md).
const notifications = await startNotifications({ pool, logger }, {
  redisUrl: config.REDIS_URL, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS,
  timeoutMs: config.WEBHOOK_TIMEOUT_MS, pollMs: config.WEBHOOK_POLL_MS, concurrency: config.WEBHOOK_CONCURRENCY,
});
await registerAnalystRoutes(http, { store, pool, codec, more: [notifications.routes] });
const retention = startRetention(search, config.ALERT_RETENTION_DAYS, config.RETENTION_INTERVAL_MS, logger);
await http.app.register(async (scope) => {
  scope.addHook('preHandler', http.authenticate('incidents:read'));
  registerLateAlertRoutes(scope, pool);
});
await http.app.register(async (scope) => {
  scope.addHook('preHandler', http.authenticate('rules:read'));
  registerRuleReadRoutes(scope, pool);
});
await http.app.register(async (scope) => {
  scope.addHook('preHandler', http.authenticate('rules:write'));
  registerRuleWriteRoutes(scope, pool);
});
// Rule history, lifecycle, export, simulation and backup (docs/rules.md).
const rulesLifecycle = await registerRulesLifecycle(http, { pool, search, logger }, {
  redisUrl: config.REDIS_URL, concurrency: config.SIMULATION_CONCURRENCY, perTenant: config.SIMULATION_PER_TENANT,
  maxAlerts: config.SIMULATION_MAX_ALERTS, maxRangeDays: config.SIMULATION_MAX_RANGE_DAYS, defaults: defaultRuleSettings,
});
const ops = await startOpsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, registry: createMetricsRegistry('query-api'), ready });
await http.app.listen({ host: config.HOST, port: config.PORT });
logger.info({ port: config.PORT, ops: ops.url }, 'query-api listening');

exitOnSignals(logger, async () => {
  http.markStopping();
  retention.stop();
  await http.app.close();
  await rulesLifecycle.close();
  await notifications.close();
  await search.close();
  redis.disconnect();
  await pool.end();
  await ops.close();
});
