import { compileDocument, parseDocuments, type RuleDocument } from '@vigil/detection';
import { VigilError } from '@vigil/errors';
import { principalOf, type FastifyInstance } from '@vigil/http';
import { inTransaction, type Pool } from '@vigil/postgres';
import { audit, importRules, loadRules, setEnabled, type StoredRule } from '@vigil/rules';
import { z } from 'zod';

/** A Sigma file is small; a megabyte holds thousands of rules. */
const MAX_RULE_FILE_BYTES = 1024 * 1024;
const yamlTypes = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

const listSchema = z.object({
  status: z.enum(['enabled', 'disabled', 'all']).default('all'),
  kind: z.enum(['detection', 'correlation']).optional(),
  type: z.string().max(32).optional(),
  tag: z.string().max(128).optional(),
  q: z.string().max(256).optional(),
}).strict();

const keyPattern = /^[\w.:-]{1,128}$/;

/** What a rule looks like to its engineers: stored facts plus what its source says. */
function present(rule: StoredRule, withSource: boolean): Record<string, unknown> {
  const [doc] = parseDocuments(rule.source).documents;
  const compiled = doc ? compileDocument(doc) : null;
  const r: RuleDocument | null = compiled?.ok ? compiled.rule : null;
  return {
    id: rule.key,
    kind: rule.kind,
    title: rule.title,
    version: rule.version,
    enabled: rule.enabled,
    type: r?.kind === 'correlation' ? r.correlation.type : null,
    level: r?.level ?? null,
    tags: r?.tags ?? [],
    logsource: r?.logsource ?? null,
    references: r?.kind === 'correlation' ? r.correlation.rules : [],
    settings: rule.settings,
    updated_at: rule.updatedAt.getTime(),
    ...(withSource ? { source: rule.source } : {}),
  };
}

export function registerRuleReadRoutes(app: FastifyInstance, pool: Pool): void {
  app.get('/v1/rules', async (request) => {
    const tenant = principalOf(request).tenantId;
    const parsed = listSchema.safeParse(request.query);
    if (!parsed.success) throw new VigilError('REQUEST_PARAM_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
    const f = parsed.data;
    const rules = await inTransaction(pool, (client) => loadRules(client, tenant));
    const items = rules
      .filter((r) => !r.deleted)
      .filter((r) => f.status === 'all' || (f.status === 'enabled') === r.enabled)
      .filter((r) => !f.kind || r.kind === f.kind)
      .map((r) => present(r, false))
      .filter((r) => !f.type || r['type'] === f.type)
      .filter((r) => !f.tag || (r['tags'] as string[]).some((t) => t.toLowerCase() === f.tag!.toLowerCase()))
      .filter((r) => !f.q || `${r['title']} ${r['id']}`.toLowerCase().includes(f.q.toLowerCase()));
    return { total: items.length, items };
  });

  app.get('/v1/rules/:id', async (request) => {
    const tenant = principalOf(request).tenantId;
    const { id } = request.params as { id: string };
    const rules = await inTransaction(pool, (client) => loadRules(client, tenant));
    const rule = keyPattern.test(id) ? rules.find((r) => r.key === id && !r.deleted) : undefined;
    // Another tenant's rule and no rule answer alike (I2).
    if (!rule) throw new VigilError('NOT_FOUND', `no rule ${id.slice(0, 128)} for this tenant`);
    return present(rule, true);
  });
}

export function registerRuleWriteRoutes(app: FastifyInstance, pool: Pool): void {
  app.addContentTypeParser(yamlTypes, { parseAs: 'string', bodyLimit: MAX_RULE_FILE_BYTES }, (_request, body, done) => done(null, body));

  app.post('/v1/rules/import', { bodyLimit: MAX_RULE_FILE_BYTES }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    const text = typeof body === 'string' ? body : typeof (body as { yaml?: unknown })?.yaml === 'string' ? (body as { yaml: string }).yaml : null;
    if (text === null || text.trim() === '') throw new VigilError('RULE_INVALID', 'send the Sigma YAML as the body (Content-Type: application/yaml), or JSON {"yaml": "..."}');
    const report = await importRules(pool, principal.tenantId, principal.subject, text);
    if (report.rejected > 0 && report.imported + report.updated + report.unchanged === 0) {
      const first = report.rules.find((r) => r.status === 'rejected')?.problems?.[0];
      const where = first?.line ? ` (line ${first.line})` : '';
      return reply.status(422).send({ error: { code: 'RULE_INVALID', message: `no rule could be imported; first problem${where}: ${first?.message ?? 'unknown'}` }, ...report });
    }
    return report;
  });

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(`/v1/rules/:id/${action}`, async (request) => {
      const principal = principalOf(request);
      const { id } = request.params as { id: string };
      const changed = keyPattern.test(id) && (await inTransaction(pool, async (client) => {
        const ok = await setEnabled(client, principal.tenantId, id, enabled);
        if (ok) await audit(client, principal.tenantId, principal.subject, `rules.${action}`, { rule: id });
        return ok;
      }));
      if (!changed) throw new VigilError('NOT_FOUND', `no rule ${id.slice(0, 128)} for this tenant`);
      return { id, enabled };
    });
  }
}
