import { z } from 'zod';

export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export const sourceFormats = ['vigil', 'suricata', 'zeek', 'wazuh', 'ecs', 'ocsf'] as const;
export type SourceFormat = (typeof sourceFormats)[number];

/** Score bands per severity, so sorting by score and by severity agree. */
export const severityScore: Readonly<Record<Severity, number>> = Object.freeze({ info: 10, low: 30, medium: 50, high: 75, critical: 95 });

export function severityFromScore(score: number): Severity {
  if (score >= 90) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 40) return 'medium';
  if (score >= 20) return 'low';
  return 'info';
}

/** Tenant ids appear in Redis keys, index routing and logs: keep them boring. */
export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'tenant id must be 1-63 chars of [A-Za-z0-9_-]');

/**
 * The normalized alert every input format maps into, and the shape of the Avro record
 * (schemas/alert.v1.avsc). Times are epoch milliseconds.
 */
export interface Alert {
  id: string;
  tenant_id: string;
  source_format: SourceFormat;
  source_product: string | null;
  sensor_id: string | null;
  original_id: string | null;
  rule_id: string;
  rule_name: string;
  rule_category: string | null;
  severity: Severity;
  severity_score: number;
  event_time: number;
  received_time: number;
  src_ip: string | null;
  src_port: number | null;
  dst_ip: string | null;
  dst_port: number | null;
  protocol: string | null;
  host: string | null;
  user_name: string | null;
  process: string | null;
  file_hash: string | null;
  domain: string | null;
  url: string | null;
  labels: Record<string, string>;
  raw: string | null;
  fingerprint: string | null;
  dedup_count: number;
  first_seen: number | null;
  last_seen: number | null;
}

/** What a format mapper produces: the alert minus the fields the gateway assigns. */
export type AlertDraft = Omit<Alert, 'id' | 'tenant_id' | 'received_time' | 'raw' | 'fingerprint' | 'dedup_count' | 'first_seen' | 'last_seen'>;

export interface DuplicateNotice {
  tenant_id: string;
  canonical_id: string;
  canonical_event_time: number;
  duplicate_id: string;
  fingerprint: string;
  count: number;
  first_seen: number;
  last_seen: number;
  /** Event time of the suppressed duplicate itself (null from producers before it existed). */
  duplicate_event_time?: number | null;
}

export interface Incident {
  id: string;
  tenant_id: string;
  revision: number;
  rule_id: string;
  rule_name: string;
  group_key: string;
  status: IncidentStatus;
  severity: Severity;
  alert_count: number;
  alert_ids: string[];
  window_start: number;
  window_end: number;
  first_seen: number;
  last_seen: number;
  updated_at: number;
  rule_version: number;
  group_values: Record<string, string>;
  tags: string[];
  /** Who works the incident; set by analysts through the query API (absent in older revisions). */
  assignee?: string | null;
}

export const incidentStatuses = ['open', 'acknowledged', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** One decision of the correlation engine (schemas/correlation-audit.v1.avsc). */
export interface CorrelationAudit {
  id: string;
  tenant_id: string;
  decision: 'opened' | 'joined' | 'counted' | 'late' | 'ignored' | 'expired' | 'fired' | 'reopened' | 'assigned' | 'acknowledged' | 'closed';
  rule_id: string;
  rule_version: number;
  alert_id: string | null;
  event_time: number | null;
  incident_id: string | null;
  group_key: string | null;
  reason: string | null;
  watermark: number | null;
  at: number;
}
