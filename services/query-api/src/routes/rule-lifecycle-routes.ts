import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance, type FastifyRequest } from '@vigil/http';
import { inTransaction, type Pool } from '@vigil/postgres';
import { deleteRule, diffLines, formatDiff, readAudit, ruleHistory, saveRule, updateSettings, type ChangeOutcome } from '@vigil/rules';
import { z } from 'zod';

const keyPattern = /^[\w.:-]{1,128}$/;
const notFound = (id: string) => new VigilError('NOT_FOUND', `no rule ${id.slice(0, 128)} for this tenant`);

function ruleKey(request: FastifyRequest): string {
  const { id } = request.params as { id: string };
  if (!keyPattern.test(id)) throw notFound(id);
  return id;
}

function sigmaText(body: unknown): string {
  const text = typeof body === 'string' ? body : typeof (body as { yaml?: unknown })?.yaml === 'string' ? (body as { yaml: string }).yaml : null;
  if (text === null || text.trim() === '') throw new VigilError('RULE_INVALID', 'send one Sigma document as the body (Content-Type: application/yaml), or JSON {"yaml": "..."}');
  return text;
}

function answer(outcome: ChangeOutcome, id: string): { id: string; version: number; status: string } {
  if (outcome.ok) return { id: outcome.rule, version: outcome.version, status: outcome.status };
  if (outcome.kind === 'not-found') throw notFound(id);
  if (outcome.kind === 'conflict') throw new VigilError('RULE_CONFLICT', outcome.message);
  throw new VigilError('RULE_INVALID', outcome.message);
}

const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
const settingsSchema = z.object({
  allowed_lateness_ms: z.number().int().min(0).max(7 * 24 * 3_600_000).optional(),
  reopen_ms: z.number().int().min(0).max(90 * 24 * 3_600_000).optional(),
  severity_override: z.enum(severities).nullable().optional(),
}).strict();

const auditSchema = z.object({ rule_id: z.string().regex(keyPattern).optional(), size: z.coerce.number().int().min(1).max(500).default(100), before: z.string().regex(/^\d{1,18}$/).optional() }).strict();
const diffSchema = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }).strict();

/** History, diff and audit: readable by whoever may read rules. */
export function registerRuleHistoryRoutes(app: FastifyInstance, pool: Pool): void {
  app.get('/v1/rules/:id/versions', async (request) => {
    const tenant = principalOf(request).tenantId;
    const key = ruleKey(request);
    const versions = await inTransaction(pool, (client) => ruleHistory(client, tenant, key));
    if (versions.length === 0) throw notFound(key);
    return { id: key, items: versions.map((v) => ({ version: v.version, title: v.title, content_hash: v.contentHash, created_by: v.createdBy, created_at: v.createdAt.getTime(), source: v.source })) };
  });

  app.get('/v1/rules/:id/diff', async (request) => {
    const tenant = principalOf(request).tenantId;
    const key = ruleKey(request);
    const parsed = diffSchema.safeParse(request.query);
    if (!parsed.success) throw new VigilError('REQUEST_PARAM_INVALID', 'from and to must be version numbers (?from=1&to=2)');
    const versions = await inTransaction(pool, (client) => ruleHistory(client, tenant, key));
    if (versions.length === 0) throw notFound(key);
    const pick = (n: number) => versions.find((v) => v.version === n);
    const [a, b] = [pick(parsed.data.from), pick(parsed.data.to)];
    if (!a || !b) throw new VigilError('NOT_FOUND', `rule ${key} has versions 1..${versions[0]!.version}`);
    const lines = diffLines(a.source, b.source);
    return { id: key, from: a.version, to: b.version, changed: lines.some((l) => l.op !== ' '), diff: formatDiff(lines), lines };
  });

  app.get('/v1/rules/audit', async (request) => {
    const tenant = principalOf(request).tenantId;
    const parsed = auditSchema.safeParse(request.query);
    if (!parsed.success) throw new VigilError('REQUEST_PARAM_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
    const entries = await inTransaction(pool, (client) => readAudit(client, tenant, { rule: parsed.data.rule_id, limit: parsed.data.size, before: parsed.data.before }));
    return { items: entries.map((e) => ({ id: e.id, actor: e.actor, action: e.action, detail: e.detail, at: e.at.getTime() })), next: entries.length === parsed.data.size ? entries[entries.length - 1]!.id : null };
  });
}

/** Create, change (a new version), soft delete, settings: every one audited with before/after. */
export function registerRuleLifecycleRoutes(app: FastifyInstance, pool: Pool): void {
  app.post('/v1/rules', async (request, reply) => {
    const principal = principalOf(request);
    const result = answer(await saveRule(pool, principal.tenantId, principal.subject, sigmaText(request.body), { kind: 'create' }), '');
    return reply.status(201).send(result);
  });

  app.put('/v1/rules/:id', async (request) => {
    const principal = principalOf(request);
    const key = ruleKey(request);
    const base = (request.query as { base_version?: string }).base_version;
    if (base !== undefined && !/^\d{1,9}$/.test(base)) throw new VigilError('REQUEST_PARAM_INVALID', 'base_version must be a version number');
    return answer(await saveRule(pool, principal.tenantId, principal.subject, sigmaText(request.body), { kind: 'change', key, baseVersion: base === undefined ? undefined : Number(base) }), key);
  });

  app.delete('/v1/rules/:id', async (request) => {
    const principal = principalOf(request);
    const key = ruleKey(request);
    if (!(await deleteRule(pool, principal.tenantId, principal.subject, key))) throw notFound(key);
    return { id: key, deleted: true };
  });

  app.put('/v1/rules/:id/settings', async (request) => {
    const principal = principalOf(request);
    const key = ruleKey(request);
    const parsed = settingsSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new VigilError('RULE_SETTINGS_INVALID', `${issue.path.join('.') || 'body'}: ${issue.message}`, { path: issue.path.join('.') });
    }
    const settings = await updateSettings(pool, principal.tenantId, principal.subject, key, parsed.data);
    if (!settings) throw notFound(key);
    return { id: key, settings };
  });
}
