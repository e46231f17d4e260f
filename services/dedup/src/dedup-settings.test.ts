import { describe, expect, it } from 'vitest';
import { compileTenantSettings, noTenantSettings, resolveSettings, type DedupSettingsRow } from './dedup-settings.ts';

const row = (rule_id: string | null, fields: string[] | null, window_seconds: number | null): DedupSettingsRow => ({ rule_id, fields, window_seconds });
const HOUR = 3_600_000;

describe('resolveSettings', () => {
  const rows = [row(null, ['host'], 600), row('r-fields', ['src_ip', 'dst_ip'], null), row('r-window', null, 60), row('r-both', ['user_name'], 30)];
  const tenant = compileTenantSettings(rows);

  it.each<[string, DedupSettingsRow[], string, string, string[], number]>([
    ['suricata default', [], 'suricata', 'x', ['dst_ip', 'dst_port', 'protocol', 'src_ip'], HOUR],
    ['zeek default', [], 'zeek', 'x', ['dst_ip', 'dst_port', 'protocol', 'src_ip'], HOUR],
    ['wazuh default', [], 'wazuh', 'x', ['host', 'src_ip'], HOUR],
    ['generic default', [], 'ocsf', 'x', ['domain', 'dst_ip', 'file_hash', 'host', 'process', 'src_ip', 'user_name'], HOUR],
    ['unknown format falls back to generic', [], 'newfmt', 'x', ['domain', 'dst_ip', 'file_hash', 'host', 'process', 'src_ip', 'user_name'], HOUR],
    ['tenant default beats format default', rows, 'suricata', 'x', ['host'], 600_000],
    ['rule fields, tenant window', rows, 'suricata', 'r-fields', ['dst_ip', 'src_ip'], 600_000],
    ['tenant fields, rule window', rows, 'suricata', 'r-window', ['host'], 60_000],
    ['rule overrides both', rows, 'wazuh', 'r-both', ['user_name'], 30_000],
    ['rule row without tenant row inherits format default', [row('r', null, 5)], 'wazuh', 'r', ['host', 'src_ip'], 5_000],
    ['empty list: one window per rule', [row(null, [], null)], 'suricata', 'x', [], HOUR],
  ])('%s', (_name, given, format, rule, fields, windowMs) => {
    const settings = given === rows ? tenant : compileTenantSettings(given);
    expect(resolveSettings(settings, { source_format: format as 'suricata', rule_id: rule }, HOUR)).toEqual({ fields, windowMs });
  });

  it('uses built-in defaults without any row', () => {
    expect(resolveSettings(noTenantSettings, { source_format: 'suricata', rule_id: 'x' }, 5000).windowMs).toBe(5000);
  });
});

describe('compileTenantSettings', () => {
  it.each<[string, DedupSettingsRow, RegExp]>([
    ['unknown field', row(null, ['event_time'], 60), /tenant default: unknown fingerprint field\(s\): event_time; row ignored/],
    ['zero window', row('r1', null, 0), /rule r1: window_seconds 0 is outside/],
    ['window over 7 days', row('r1', null, 604801), /outside 1\.\.604800/],
  ])('ignores a row with %s, whole', (_name, bad, problem) => {
    const settings = compileTenantSettings([bad]);
    expect(settings.problems).toEqual([expect.stringMatching(problem)]);
    expect(resolveSettings(settings, { source_format: 'wazuh', rule_id: 'r1' }, HOUR)).toEqual({ fields: ['host', 'src_ip'], windowMs: HOUR });
  });

  it('normalises configured fields', () => {
    const settings = compileTenantSettings([row(null, ['src_ip', 'rule_id', 'dst_ip', 'src_ip'], null)]);
    expect(settings.tenant.fields).toEqual(['dst_ip', 'src_ip']);
  });
});
