import { z } from 'zod';
import { contentHash } from './content-hash.ts';
import type { StoredRule } from './rule-store.ts';

export const BACKUP_FORMAT = 'vigil-rules-backup';
export const BACKUP_FORMAT_VERSION = 1;

const backupRule = z.object({
  id: z.string().min(1).max(256),
  kind: z.enum(['detection', 'correlation']),
  version: z.number().int().min(1),
  enabled: z.boolean(),
  settings: z.record(z.unknown()),
  source: z.string().min(1).max(1024 * 1024),
}).strict();

const backupSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  format_version: z.literal(BACKUP_FORMAT_VERSION),
  vigil_version: z.string().min(1).max(64),
  tenant_id: z.string().min(1).max(128),
  created_at: z.string().datetime(),
  created_by: z.string().max(256),
  rules: z.array(backupRule).max(5000),
  checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/),
}).strict();

export type RuleBackup = z.infer<typeof backupSchema>;

/** The checksum covers every field but itself, key order aside (canonical JSON). */
function checksumOf(body: Omit<RuleBackup, 'checksum'>): string {
  return `sha256:${contentHash(body)}`;
}

/** A tenant's rules (current versions, enabled state, settings) as a self-checking file. */
export function createBackup(rules: readonly StoredRule[], meta: { tenantId: string; actor: string; vigilVersion: string; now: number }): RuleBackup {
  const body = {
    format: BACKUP_FORMAT,
    format_version: BACKUP_FORMAT_VERSION,
    vigil_version: meta.vigilVersion,
    tenant_id: meta.tenantId,
    created_at: new Date(meta.now).toISOString(),
    created_by: meta.actor,
    rules: rules.filter((r) => !r.deleted).map((r) => ({ id: r.key, kind: r.kind, version: r.version, enabled: r.enabled, settings: r.settings, source: r.source })),
  } as const;
  return { ...body, checksum: checksumOf(body) };
}

export type BackupCheck = { readonly ok: true; readonly backup: RuleBackup } | { readonly ok: false; readonly reason: string };

/**
 * Accept a backup only if it is well formed and its checksum matches its content: a file
 * edited by hand, truncated or corrupted is refused before anything is written.
 */
export function verifyBackup(input: unknown): BackupCheck {
  const parsed = backupSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `not a Vigil rules backup: ${issue.path.join('.') || 'file'}: ${issue.message}` };
  }
  const { checksum, ...body } = parsed.data;
  const expected = checksumOf(body);
  if (expected !== checksum) return { ok: false, reason: 'the checksum does not match the content: the file was changed or damaged after it was exported' };
  return { ok: true, backup: parsed.data };
}
