import { describe, expect, it } from 'vitest';
import { describeFixtures } from '../../testing/formats/fixture-suite.ts';
import { mapWazuh, sysmonHash, wazuhSeverity } from './wazuh.ts';

describeFixtures('wazuh', mapWazuh);

describe('wazuhSeverity', () => {
  it.each([
    [0, 'info'],
    [3, 'info'],
    [4, 'low'],
    [6, 'low'],
    [7, 'medium'],
    [11, 'medium'],
    [12, 'high'],
    [14, 'high'],
    [15, 'critical'],
    [16, 'critical'],
  ] as const)('level %i → %s', (level, severity) => {
    expect(wazuhSeverity(level).severity).toBe(severity);
  });

  it('never lowers the score as the level rises', () => {
    const scores = Array.from({ length: 17 }, (_, level) => wazuhSeverity(level).severity_score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
});

describe('mapWazuh', () => {
  const alert = {
    '@timestamp': '2025-03-14T11:02:17.418Z',
    rule: { id: '5712', level: 10, description: 'sshd: brute force' },
    agent: { id: '001', name: 'web-01' },
  };

  it('falls back to @timestamp when timestamp is absent', () => {
    const result = mapWazuh(alert, { now: Date.parse('2025-03-14T11:03:00Z') });
    expect(result.ok && result.draft.event_time).toBe(Date.parse('2025-03-14T11:02:17.418Z'));
  });

  it('reports @timestamp as the path when it is the one that is wrong', () => {
    const result = mapWazuh({ ...alert, '@timestamp': 'yesterday' }, { now: Date.parse('2025-03-14T11:03:00Z') });
    expect(result).toMatchObject({ ok: false, code: 'ALERT_TIMESTAMP_INVALID', path: '@timestamp' });
  });
});

describe('mapWazuh on real alert shapes', () => {
  const now = Date.parse('2025-03-14T11:03:00Z');
  const base = { timestamp: '2025-03-14T11:02:17.418+0000', agent: { id: '004', name: 'dc-01' } };
  const mapped = (extra: Record<string, unknown>) => {
    const result = mapWazuh({ ...base, ...extra }, { now });
    if (!result.ok) throw new Error(`${result.path}: ${result.message}`);
    return result.draft;
  };

  it('takes level 16 (the documented top) as critical', () => {
    expect(mapped({ rule: { id: '110022', level: 16, description: 'SSH exploit attempt from a known malicious IP' } })).toMatchObject({ severity: 'critical', severity_score: 100 });
  });

  it('reads a Windows logon (4624) from data.win.eventdata', () => {
    const draft = mapped({ rule: { id: '92657', level: 6, description: 'Successful Remote Logon Detected' }, data: { win: { system: { computer: 'DC-01.corp.local' }, eventdata: { ipAddress: '192.168.80.13', ipPort: '50123', targetUserName: 'Bluecheap' } } } });
    expect(draft).toMatchObject({ src_ip: '192.168.80.13', src_port: 50123, user_name: 'Bluecheap' });
  });

  it('keeps a local logon whose event data says "-" for the address and port', () => {
    expect(mapped({ rule: { id: '60106', level: 3, description: 'Windows Logon Success' }, data: { win: { eventdata: { ipAddress: '-', ipPort: '-', targetUserName: 'svc' } } } })).toMatchObject({ src_ip: null, src_port: null, user_name: 'svc' });
  });

  it('reads a Sysmon process creation: image and the SHA-256 of its Hashes', () => {
    const sha256 = '9785001b0dcf755eddb8af294a373c0b87b2498660f724e76c4d53f9c217c7a3';
    const draft = mapped({ rule: { id: '92057', level: 12, description: 'Powershell process spawned' }, data: { win: { eventdata: { image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', hashes: `SHA1=AAAA,MD5=8CBD4AE7C0D8E1B5F6E2B4E5A1C3D2E1,SHA256=${sha256.toUpperCase()},IMPHASH=x` } } } });
    expect(draft).toMatchObject({ process: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', file_hash: sha256 });
  });

  it('reads Suricata alerts relayed by Wazuh (data.src_ip, dest_ip, ports)', () => {
    const draft = mapped({ rule: { id: '86601', level: 3, description: 'Suricata: Alert - ET POLICY' }, data: { src_ip: '10.0.0.5', src_port: 51234, dest_ip: '93.184.216.34', dest_port: 443, proto: 'TCP' } });
    expect(draft).toMatchObject({ src_ip: '10.0.0.5', src_port: 51234, dst_ip: '93.184.216.34', dst_port: 443, protocol: 'tcp' });
  });

  it('keeps an alert whose srcip is a host name (sshd with UseDNS), without an address; a mangled address is still refused', () => {
    expect(mapped({ rule: { id: '5710', level: 5, description: 'sshd: Attempt to login using a non-existent user' }, data: { srcip: 'ec2-54-1-2-3.compute-1.amazonaws.com' } }).src_ip).toBeNull();
    expect(mapWazuh({ ...base, rule: { id: '5710', level: 5, description: 'x' }, data: { srcip: '203.0.113' } }, { now }).ok).toBe(false);
  });

  it('cuts an attack URL longer than 1,024 characters instead of refusing the alert', () => {
    const url = `/index.php?id=1${"'+OR+1=1--".repeat(200)}`;
    expect(mapped({ rule: { id: '31106', level: 6, description: 'A web attack returned code 200 (success).' }, data: { url } }).url).toBe(url.slice(0, 1024));
  });

  it('sysmonHash takes the strongest well-formed digest', () => {
    expect(sysmonHash('MD5=8CBD4AE7C0D8E1B5F6E2B4E5A1C3D2E1,SHA256=short')).toBe('8cbd4ae7c0d8e1b5f6e2b4e5a1c3d2e1');
    expect(sysmonHash(undefined)).toBeNull();
  });
});

