import type { Alert, SourceFormat } from '@vigil/contracts';
import { normaliseFields } from './fingerprint.ts';

/** One row of the `dedup_settings` table (migration 002_dedup.sql). NULL = inherit. */
export interface DedupSettingsRow {
  readonly rule_id: string | null;
  readonly fields: readonly string[] | null;
  readonly window_seconds: number | null;
}

interface Override {
  readonly fields?: readonly string[];
  readonly windowMs?: number;
}

/** A tenant's rows, validated once when loaded. */
export interface TenantSettings {
  readonly tenant: Override;
  readonly byRule: ReadonlyMap<string, Override>;
  /** Rows that were ignored and why; logged by the loader. */
  readonly problems: readonly string[];
}

export interface ResolvedSettings {
  /** Normalised (see normaliseFields). */
  readonly fields: readonly string[];
  readonly windowMs: number;
}

/**
 * Fields each input format deduplicates on by default (rule id, format and tenant are
 * always included). Network sensors: the flow without its ephemeral source port. Host
 * sensors: where it happened and who caused it. Generic: the main observables.
 */
const generic = ['host', 'user_name', 'process', 'file_hash', 'src_ip', 'dst_ip', 'domain'];
export const formatDefaultFields: Readonly<Record<SourceFormat, readonly string[]>> = Object.freeze({
  suricata: ['src_ip', 'dst_ip', 'dst_port', 'protocol'],
  zeek: ['src_ip', 'dst_ip', 'dst_port', 'protocol'],
  wazuh: ['host', 'src_ip'],
  vigil: generic,
  ecs: generic,
  ocsf: generic,
});

function normalisedOrThrow(fields: readonly string[]): readonly string[] {
  const normalised = normaliseFields(fields);
  if (!normalised.ok) throw new Error(normalised.problem);
  return normalised.fields;
}

const genericDefault = normalisedOrThrow(generic);
const formatDefaults: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(formatDefaultFields).map(([format, fields]) => [format, normalisedOrThrow(fields)]));

/** Unknown formats (a newer gateway) fall back to the generic fields rather than fail. */
function defaultFieldsFor(format: string): readonly string[] {
  return formatDefaults.get(format) ?? genericDefault;
}

const MAX_WINDOW_SECONDS = 7 * 24 * 3600;

function overrideOf(row: DedupSettingsRow): Override | string {
  const out: { fields?: readonly string[]; windowMs?: number } = {};
  if (row.fields !== null) {
    const fields = normaliseFields(row.fields);
    if (!fields.ok) return fields.problem;
    out.fields = fields.fields;
  }
  if (row.window_seconds !== null) {
    if (!Number.isInteger(row.window_seconds) || row.window_seconds < 1 || row.window_seconds > MAX_WINDOW_SECONDS) return `window_seconds ${row.window_seconds} is outside 1..${MAX_WINDOW_SECONDS}`;
    out.windowMs = row.window_seconds * 1000;
  }
  return out;
}

/** Validate a tenant's rows. An invalid row is ignored as a whole (its level inherits). */
export function compileTenantSettings(rows: readonly DedupSettingsRow[]): TenantSettings {
  let tenant: Override = {};
  const byRule = new Map<string, Override>();
  const problems: string[] = [];
  for (const row of rows) {
    const override = overrideOf(row);
    if (typeof override === 'string') {
      problems.push(`${row.rule_id === null ? 'tenant default' : `rule ${row.rule_id}`}: ${override}; row ignored`);
    } else if (row.rule_id === null) {
      tenant = override;
    } else {
      byRule.set(row.rule_id, override);
    }
  }
  return { tenant, byRule, problems };
}

export const noTenantSettings: TenantSettings = compileTenantSettings([]);

/**
 * Each setting separately: the tenant's row for the rule, else the tenant's default
 * row, else the format's default fields / the global default window.
 */
export function resolveSettings(settings: TenantSettings, alert: Pick<Alert, 'source_format' | 'rule_id'>, defaultWindowMs: number): ResolvedSettings {
  const rule = settings.byRule.get(alert.rule_id);
  return {
    fields: rule?.fields ?? settings.tenant.fields ?? defaultFieldsFor(alert.source_format),
    windowMs: rule?.windowMs ?? settings.tenant.windowMs ?? defaultWindowMs,
  };
}
