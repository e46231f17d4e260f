import type { AlertDraft, SourceFormat } from '@vigil/contracts';
import type { SeverityValue } from './severity.ts';

type Optional = Exclude<keyof AlertDraft, 'source_format' | 'rule_id' | 'rule_name' | 'severity' | 'severity_score' | 'event_time'>;

/** What a mapper must know; everything else may be left out and becomes null (or no labels). */
export type DraftFields = SeverityValue &
  Pick<AlertDraft, 'rule_id' | 'rule_name'> & { readonly [K in Optional]?: AlertDraft[K] | null | undefined };

export function buildDraft(format: SourceFormat, f: DraftFields, eventTime: number): AlertDraft {
  return {
    source_format: format,
    source_product: f.source_product ?? null,
    sensor_id: f.sensor_id ?? null,
    original_id: f.original_id ?? null,
    rule_id: f.rule_id,
    rule_name: f.rule_name,
    rule_category: f.rule_category ?? null,
    severity: f.severity,
    severity_score: f.severity_score,
    event_time: eventTime,
    src_ip: f.src_ip ?? null,
    src_port: f.src_port ?? null,
    dst_ip: f.dst_ip ?? null,
    dst_port: f.dst_port ?? null,
    protocol: f.protocol ?? null,
    host: f.host ?? null,
    user_name: f.user_name ?? null,
    process: f.process ?? null,
    file_hash: f.file_hash ?? null,
    domain: f.domain ?? null,
    url: f.url ?? null,
    labels: f.labels ?? {},
  };
}
