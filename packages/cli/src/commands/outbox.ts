import { parseArgs } from 'node:util';
import { isVigilError } from '@vigil/errors';
import { createPool } from '@vigil/postgres';
import { listDead, outboxStats, retryDead } from '@vigil/incident-store';
import type { CliContext } from '../cli-context.ts';
import { storeAccess } from '../store-access.ts';
import { endpointOptions, endpointUsage, endpointsWithFlags } from '../endpoints.ts';
import { authorize } from './dlq.ts';

const usage = `usage: vigil outbox <command> [--token T]   (admin token; or set VIGIL_TOKEN)

  list                      unpublished and dead outbox rows (the correlate relay's queue)
  retry --all | --ids 1,2   put dead rows back in line; the relay publishes them again
${endpointUsage}`;

type Log = (line: string) => void;

/** `vigil outbox list | retry`: the dead rows of the correlation outbox (docs/delivery.md). */
export async function outboxCommand(ctx: CliContext, args: readonly string[], envToken: string | undefined, log: Log): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { ...endpointOptions, token: { type: 'string' }, all: { type: 'boolean' }, ids: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  const action = positionals[0];
  const ids = values.ids?.split(',').map((s) => s.trim()).filter((s) => /^\d+$/.test(s)) ?? [];
  if ((action !== 'list' && action !== 'retry') || (action === 'retry' && !values.all && ids.length === 0)) {
    log(usage);
    return 2;
  }
  const endpoints = endpointsWithFlags(ctx.endpoints, values);
  try {
    await authorize(endpoints, values.token ?? envToken);
  } catch (err) {
    if (!isVigilError(err)) throw err;
    log(`vigil outbox: ${err.code}: ${err.message}`);
    return 3;
  }
  const pool = createPool(storeAccess(endpoints).postgres, 'vigil-cli-outbox', 1);
  try {
    if (action === 'retry') {
      log(`${await retryDead(pool, values.all ? 'all' : ids)} dead row(s) put back in line`);
      return 0;
    }
    const [stats, dead] = await Promise.all([outboxStats(pool), listDead(pool)]);
    if (values.json) {
      log(JSON.stringify({ ...stats, deadRows: dead }));
      return 0;
    }
    log(`unpublished: ${stats.unpublished} (oldest ${Math.round(stats.oldestSeconds)} s)   dead: ${stats.dead}`);
    for (const row of dead) log(`  #${row.id}  ${row.tenant_id}  ${row.topic}  ${row.message_key}  ${row.dead_code}  ${row.dead_at.toISOString()}  ${row.dead_reason}`);
    return 0;
  } finally {
    await pool.end();
  }
}
