import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance, type FastifyRequest } from '@vigil/http';
import { inTransaction, type Pool } from '@vigil/postgres';
import type { JobView, SimulationQueue } from '@vigil/redis';
import { loadRules } from '@vigil/rules';
import { z } from 'zod';
import type { SimulationJobData, SimulationResult } from '../simulation/simulation-job.ts';

const DAY = 86_400_000;
const time = z.union([z.number().int().min(0), z.string().datetime({ offset: true }).transform((s) => Date.parse(s))]);
const requestSchema = z.object({
  rule_id: z.string().regex(/^[\w.:-]{1,128}$/).optional(),
  version: z.number().int().min(1).optional(),
  yaml: z.string().min(1).max(256 * 1024).optional(),
  from: time,
  to: time,
}).strict();

export interface SimulationRouteOptions {
  readonly maxRangeDays: number;
}

type Queue = SimulationQueue<SimulationJobData, SimulationResult>;

function present(job: JobView<SimulationJobData, SimulationResult>): Record<string, unknown> {
  const rule = job.data.rule;
  return {
    id: job.id,
    state: job.state,
    progress: job.progress,
    rule: rule.kind === 'stored' ? { id: rule.key, version: rule.version } : { draft: true },
    from: job.data.from,
    to: job.data.to,
    requested_by: job.data.requestedBy,
    created_at: job.createdAt,
    finished_at: job.finishedAt,
    error: job.error,
  };
}

async function ownJob(queue: Queue, request: FastifyRequest): Promise<JobView<SimulationJobData, SimulationResult>> {
  const { jobId } = request.params as { jobId: string };
  const job = await queue.get(principalOf(request).tenantId, jobId);
  // Another tenant's job and no job answer alike (I2).
  if (!job) throw new VigilError('NOT_FOUND', `no simulation ${jobId.slice(0, 64)} for this tenant`);
  return job;
}

/** Backtests as BullMQ jobs: submit, status with progress, result, cancel. */
export function registerSimulationRoutes(app: FastifyInstance, pool: Pool, queue: Queue, options: SimulationRouteOptions): void {
  app.post('/v1/rules/simulate', async (request, reply) => {
    const principal = principalOf(request);
    const parsed = requestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new VigilError('SIMULATION_INVALID', `${issue.path.join('.') || 'body'}: ${issue.message}`, { path: issue.path.join('.') });
    }
    const body = parsed.data;
    if ((body.rule_id === undefined) === (body.yaml === undefined)) throw new VigilError('SIMULATION_INVALID', 'give exactly one of rule_id (a stored rule, optionally with version) or yaml (a draft)');
    if (!(body.from < body.to)) throw new VigilError('SIMULATION_INVALID', 'from must be before to', { path: 'from' });
    if (body.to - body.from > options.maxRangeDays * DAY) throw new VigilError('SIMULATION_INVALID', `the range may cover at most ${options.maxRangeDays} days`, { path: 'to' });
    let rule: SimulationJobData['rule'];
    if (body.rule_id !== undefined) {
      const key = body.rule_id;
      const stored = (await inTransaction(pool, (client) => loadRules(client, principal.tenantId))).find((r) => r.key === key && !r.deleted);
      const version = body.version ?? stored?.version;
      if (!stored || version === undefined || version > stored.version) throw new VigilError('NOT_FOUND', `no rule ${key} ${body.version ? `version ${body.version} ` : ''}for this tenant`);
      rule = { kind: 'stored', key, version };
    } else {
      rule = { kind: 'draft', source: body.yaml! };
    }
    const submitted = await queue.submit({ tenantId: principal.tenantId, requestedBy: principal.subject, rule, from: body.from, to: body.to });
    if (!submitted.ok) throw new VigilError('SIMULATION_LIMIT', `this tenant has ${submitted.unfinished} unfinished simulation(s); wait for it or cancel it`);
    return reply.status(202).send({ id: submitted.jobId, state: 'waiting', status_url: `/v1/rules/simulations/${submitted.jobId}`, result_url: `/v1/rules/simulations/${submitted.jobId}/result` });
  });

  app.get('/v1/rules/simulations/:jobId', async (request) => present(await ownJob(queue, request)));

  app.get('/v1/rules/simulations/:jobId/result', async (request) => {
    const job = await ownJob(queue, request);
    if (!job.result) throw new VigilError('SIMULATION_NOT_FINISHED', job.state === 'failed' ? `the simulation failed: ${job.error ?? 'unknown'}` : `the simulation is ${job.state}`);
    return { id: job.id, state: job.state, ...job.result };
  });

  app.post('/v1/rules/simulations/:jobId/cancel', async (request, reply) => {
    const job = await ownJob(queue, request);
    await queue.cancel(principalOf(request).tenantId, job.id);
    return reply.status(202).send({ id: job.id, cancelling: true });
  });
}
