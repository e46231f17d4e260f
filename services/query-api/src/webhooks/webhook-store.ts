import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from '@vigil/postgres';
import type { WebhookEvent, WebhookFormat } from './webhook-payload.ts';

/** A webhook as its owner sees it: never the secret, except once at creation. */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly format: WebhookFormat;
  readonly events: WebhookEvent[];
  readonly enabled: boolean;
  readonly created_by: string;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface WebhookTarget {
  readonly url: string;
  readonly format: WebhookFormat;
  readonly secret: string;
}

export interface WebhookPatch {
  readonly url?: string;
  readonly format?: WebhookFormat;
  readonly events?: WebhookEvent[];
  readonly enabled?: boolean;
}

const COLUMNS = `id, url, format, events, enabled, created_by, (extract(epoch FROM created_at) * 1000)::bigint AS created_at, (extract(epoch FROM updated_at) * 1000)::bigint AS updated_at`;
const LIVE = 'tenant_id = $1 AND deleted_at IS NULL';
const toView = (r: Record<string, unknown>): WebhookView => ({ ...(r as unknown as WebhookView), created_at: Number(r['created_at']), updated_at: Number(r['updated_at']) });

/** 32 random bytes; shown to the owner once, used to sign every delivery. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export async function createWebhook(pool: Pool, tenantId: string, actor: string, input: { url: string; format: WebhookFormat; events: WebhookEvent[] }): Promise<WebhookView & { secret: string }> {
  const secret = newSecret();
  const { rows } = await pool.query(
    `INSERT INTO webhooks (id, tenant_id, url, format, events, secret, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [randomUUID(), tenantId, input.url, input.format, input.events, secret, actor],
  );
  return { ...toView(rows[0]!), secret };
}

export async function listWebhooks(pool: Pool, tenantId: string): Promise<WebhookView[]> {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM webhooks WHERE ${LIVE} ORDER BY created_at, id`, [tenantId]);
  return rows.map(toView);
}

export async function readWebhook(pool: Pool, tenantId: string, id: string): Promise<WebhookView | null> {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM webhooks WHERE ${LIVE} AND id = $2`, [tenantId, id]);
  return rows[0] ? toView(rows[0]) : null;
}

/** Apply a patch (fields left out stay); null when the tenant has no such webhook. */
export async function updateWebhook(pool: Pool, tenantId: string, id: string, patch: WebhookPatch): Promise<WebhookView | null> {
  const { rows } = await pool.query(
    `UPDATE webhooks SET url = coalesce($3, url), format = coalesce($4, format), events = coalesce($5, events), enabled = coalesce($6, enabled), updated_at = now()
      WHERE ${LIVE} AND id = $2 RETURNING ${COLUMNS}`,
    [tenantId, id, patch.url ?? null, patch.format ?? null, patch.events ?? null, patch.enabled ?? null],
  );
  return rows[0] ? toView(rows[0]) : null;
}

/** A new secret, returned once; deliveries already queued sign with it from their next attempt. */
export async function rotateSecret(pool: Pool, tenantId: string, id: string): Promise<string | null> {
  const secret = newSecret();
  const { rowCount } = await pool.query(`UPDATE webhooks SET secret = $3, updated_at = now() WHERE ${LIVE} AND id = $2`, [tenantId, id, secret]);
  return rowCount === 1 ? secret : null;
}

/** Deleting hides and disables the row; it stays as the record of what deliveries went to. */
export async function deleteWebhook(pool: Pool, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(`UPDATE webhooks SET deleted_at = now(), enabled = false, updated_at = now() WHERE ${LIVE} AND id = $2`, [tenantId, id]);
  return rowCount === 1;
}

/** What a delivery needs; null when the webhook was deleted or disabled since the event. */
export async function deliveryTarget(pool: Pool, tenantId: string, id: string): Promise<WebhookTarget | null> {
  const { rows } = await pool.query<WebhookTarget>(`SELECT url, format, secret FROM webhooks WHERE ${LIVE} AND enabled AND id = $2`, [tenantId, id]);
  return rows[0] ?? null;
}
