import { principalOf, type FastifyInstance } from '@vigil/http';
import { inTransaction, type Pool } from '@vigil/postgres';
import { VigilError } from '@vigil/errors';
import { z } from 'zod';

const schema = z.object({ size: z.coerce.number().int().min(1).max(500).default(100), rule_id: z.string().max(128).optional() }).strict();

/** Alerts that came after their rule's allowed lateness: listed, never silently dropped. */
export function registerLateAlertRoutes(app: FastifyInstance, pool: Pool): void {
  app.get('/v1/incidents/late-alerts', async (request) => {
    const tenant = principalOf(request).tenantId;
    const parsed = schema.safeParse(request.query);
    if (!parsed.success) throw new VigilError('REQUEST_PARAM_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
    const { size, rule_id } = parsed.data;
    const rows = await inTransaction(pool, async (client) => (await client.query<{ alert_id: string; rule_key: string; rule_version: number; event_time: Date; watermark: Date; recorded_at: Date }>(
      `SELECT alert_id, rule_key, rule_version, event_time, watermark, recorded_at FROM late_alerts
        WHERE tenant_id = $1 AND ($2::text IS NULL OR rule_key = $2) ORDER BY recorded_at DESC LIMIT $3`,
      [tenant, rule_id ?? null, size],
    )).rows);
    return {
      items: rows.map((r) => ({ alert_id: r.alert_id, rule_id: r.rule_key, rule_version: r.rule_version, event_time: r.event_time.getTime(), watermark: r.watermark.getTime(), recorded_at: r.recorded_at.getTime() })),
    };
  });
}
