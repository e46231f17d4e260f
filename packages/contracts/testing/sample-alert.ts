import type { Alert } from '../src/alert.ts';

/**
 * A complete, valid alert with every optional field empty, for tests and benchmarks
 * that need to build alerts by hand: spell out only what matters to the case.
 */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'a-1',
    tenant_id: 'acme',
    source_format: 'vigil',
    source_product: null,
    sensor_id: null,
    original_id: null,
    rule_id: 'rule-1',
    rule_name: 'Sample rule',
    rule_category: null,
    severity: 'high',
    severity_score: 75,
    event_time: 1000,
    received_time: 1000,
    src_ip: null,
    src_port: null,
    dst_ip: null,
    dst_port: null,
    protocol: null,
    host: null,
    user_name: null,
    process: null,
    file_hash: null,
    domain: null,
    url: null,
    labels: {},
    raw: null,
    fingerprint: null,
    dedup_count: 1,
    first_seen: null,
    last_seen: null,
    ...overrides,
  };
}
