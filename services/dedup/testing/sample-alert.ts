import type { Alert } from '@vigil/contracts';
import { sampleAlert as baseAlert } from '@vigil/contracts/testing';

/** A decoded Suricata alert as dedup receives it from alerts.raw.v1 (tests only). */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return baseAlert({
    source_format: 'suricata',
    source_product: 'suricata',
    sensor_id: 's1',
    rule_id: '2001',
    rule_name: 'ET SCAN',
    src_ip: '10.0.0.1',
    src_port: 51515,
    dst_ip: '10.0.0.2',
    dst_port: 443,
    protocol: 'tcp',
    ...overrides,
  });
}
