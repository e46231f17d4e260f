import { relative } from 'node:path';
import type { DevContext, ServiceName } from './dev-context.ts';
import { servicePorts } from './dev-context.ts';
import { startDemoFeed } from './demo-feed.ts';
import { importDemoRules } from './demo-rules.ts';
import { preparePlatform } from './platform.ts';
import { maintainDatabase } from './provision-platform.ts';
import { createSupervisor, instanceKey } from './supervisor.ts';
import { idleInstanceWarnings, instancePlan } from './worker-instances.ts';
import { mintDevToken } from './dev-token.ts';

// Consumers first, the gateway last: nothing is accepted before it can flow.
const startOrder: ServiceName[] = ['indexer', 'correlate', 'dedup', 'query-api', 'ingest-api'];
const demoTenants = ['acme', 'globex'];
const MAINTENANCE_INTERVAL_MS = 5 * 60_000;

/** `vigil run`: the whole pipeline with a demo feed, until Ctrl-C. */
export async function runPipeline(ctx: DevContext, log: (line: string) => void): Promise<void> {
  await preparePlatform(ctx, log);
  // Restarts a worker that exits (kill -9, a crash) with backoff; see supervisor.ts.
  const supervisor = createSupervisor(ctx, log);
  for (const warning of idleInstanceWarnings(ctx.workers, ctx.topicConfig)) log(`warning: ${warning}`);
  const stopAll = () => supervisor.stopAll();
  try {
    // VIGIL_WORKERS: further instances of a worker join its consumer group, on metrics ports 95x2+10·k.
    for (const { name, instance, env } of instancePlan(startOrder.map((name) => [name, {}] as const), ctx.workers, (name) => servicePorts[name].metrics)) {
      const proc = await supervisor.start(name, env, instance);
      const label = instanceKey(name, instance);
      log(`started ${label.padEnd(10)} ${servicePorts[name].port ? `http://127.0.0.1:${servicePorts[name].port}` : ''}  (ops ${proc.opsUrl}, log ${relative(ctx.repoRoot, proc.logFile)})`);
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  await importDemoRules(ctx, demoTenants, log);
  const sensors = await Promise.all(demoTenants.map(async (tenant) => ({ tenant, token: await mintDevToken(ctx, { tenant, role: 'sensor' }) })));
  const feed = startDemoFeed(ctx.ingestUrl, sensors);
  const analyst = await mintDevToken(ctx, { tenant: demoTenants[0]!, role: 'analyst', ttl: '43200' });
  log('');
  log(`Vigil is running. A demo feed posts alerts for tenants ${demoTenants.join(' and ')}.`);
  log(`  ingest API  ${ctx.ingestUrl}   (OpenAPI: ${ctx.ingestUrl}/openapi.json)`);
  log(`  query API   ${ctx.queryUrl}`);
  log('');
  log(`Analyst token for tenant ${demoTenants[0]} (12 h):`);
  log(`  export TOKEN=${analyst}`);
  log(`  curl -s -H "Authorization: Bearer $TOKEN" '${ctx.queryUrl}/v1/alerts?size=5'`);
  log(`  curl -s -H "Authorization: Bearer $TOKEN" '${ctx.queryUrl}/v1/incidents'    # brute force, scan then exploit`);
  log(`  npx vigil rules list --tenant ${demoTenants[0]}`);
  log('');
  log('Ctrl-C stops the services (the stack keeps running; `npx vigil stack down` stops it).');
  const stats = setInterval(() => {
    const s = feed.stats();
    log(`demo feed: ${s.accepted} alerts accepted, ${s.failed} failed requests`);
  }, 30_000);
  // Where the server's autovacuum is off, the pipeline's own queue tables need it (maintain.ts).
  const maintenance = setInterval(() => {
    maintainDatabase(ctx.adminDatabaseUrl, log).catch((err: unknown) => log(`postgres maintenance failed: ${(err as Error).message}`));
  }, MAINTENANCE_INTERVAL_MS);

  await new Promise<void>((resolve) => {
    const onSignal = () => resolve();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  clearInterval(stats);
  clearInterval(maintenance);
  feed.stop();
  log('stopping services…');
  await stopAll();
  log('stopped.');
}
