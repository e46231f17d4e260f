import { verifierFromConfig } from '@vigil/auth';
import { loadStoreConnections, parseConfig } from '@vigil/config';
import { createHttpApp, limitRate } from '@vigil/http';
import { createCodec, createKafkaClient } from '@vigil/kafka';
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
import { deadLetterRoutes } from './dead-letters/dead-letter-module.ts';
import { createCursorCodec } from './cursor.ts';
import { registerAnalystRoutes } from './routes/analyst-routes.ts';
import { startRetention } from './retention-schedule.ts';
import { createTenantGuard } from './tenant-guard.ts';
import { registerRuleReadRoutes, registerRuleWriteRoutes } from './routes/rule-routes.ts';
import { createSearchStore } from './search-store.ts';
import { startNotifications } from './webhooks/webhook-module.ts';

const config = parseConfig('query-api', queryConfigSchema, process.env);
const logger = createLogger({ service: 'query-api', level: config.LOG_LEVEL });
// TLS and credentials of every store, CA files read once (docs/store-connections.md).
const stores = loadStoreConnections('query-api', config);
const search = createSearchClient(stores.opensearch);
const pool = createPool(stores.postgres, 'vigil-query-api');
const ready = async () => (await searchHealthy(search)) && (await postgresHealthy(pool));
const verifier = verifierFromConfig(config);
const http = createHttpApp({ logger, bodyLimitBytes: 65_536, requestTimeoutMs: config.REQUEST_TIMEOUT_MS, verifier, ready });
const codec = createCursorCodec(config.CURSOR_KEY);
// Cursors carry a handle to their point in time, kept in Redis (its id outgrows a URL).
const redis = createRedisClient(stores.redis, 'vigil-query-api');
// Per verified tenant (OWASP API4): counted after each route's authentication, so the key is
// the token's tenant; routes without a principal (/openapi.json, health) are not counted.
await limitRate(http.app, {
  hook: 'preHandler', perMinute: config.QUERY_TENANT_RATE_LIMIT_PER_MINUTE, redis, nameSpace: 'vigil:rl:query-tenant:',
  key: (request) => request.principal?.tenantId ?? '', exempt: (request) => request.principal === null,
});
const store = createSearchStore(search, codec, createTenantGuard(logger), config.CURSOR_TTL_MS, createHandleStore(redis, 'pit'));
// Each resource family checks its own permission; the tenant always comes from the token.
// Incident webhooks: routes, dispatcher and delivery worker in this process (docs/query-api.md).
const notifications = await startNotifications({ pool, logger }, {
  redisUrl: stores.redis, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS,
  timeoutMs: config.WEBHOOK_TIMEOUT_MS, pollMs: config.WEBHOOK_POLL_MS, concurrency: config.WEBHOOK_CONCURRENCY,
});
// A tenant admin's own dead letters, read from the DLQ topics with bounds (docs/delivery.md).
const deadLetters = deadLetterRoutes({ kafka: createKafkaClient({ ...stores.kafka, clientId: 'vigil-query-api', logger }), codec: createCodec(stores.schemaRegistry), redis }, config);
await registerAnalystRoutes(http, { store, pool, codec, more: [notifications.routes, deadLetters] });
const retention = startRetention(search, config.ALERT_RETENTION_DAYS, config.RETENTION_INTERVAL_MS, logger);
await http.app.register(async (scope) => {
  scope.addHook('onRequest', http.authenticate('incidents:read'));
  registerLateAlertRoutes(scope, pool);
});
await http.app.register(async (scope) => {
  scope.addHook('onRequest', http.authenticate('rules:read'));
  registerRuleReadRoutes(scope, pool);
});
await http.app.register(async (scope) => {
  scope.addHook('onRequest', http.authenticate('rules:write'));
  registerRuleWriteRoutes(scope, pool);
});
// Rule history, lifecycle, export, simulation and backup (docs/rules.md).
const rulesLifecycle = await registerRulesLifecycle(http, { pool, search, logger }, {
  redisUrl: stores.redis, concurrency: config.SIMULATION_CONCURRENCY, perTenant: config.SIMULATION_PER_TENANT,
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
