import { topics, type Alert, type Severity } from '@vigil/contracts';
import type { BulkOp } from '@vigil/search';
import { canonicalAlert, formatDefaultFields, fingerprint, normaliseFields } from '@vigil/dedup';
import { indexDecision } from '@vigil/indexer';
import { intake } from '@vigil/ingest-api';

/**
 * Bench alerts in Vigil's own format, shaped like an EDR feed. Every alert of a stream
 * has its own host, so the default fingerprint (host, user, process, file hash, src/dst
 * ip, domain) differs and dedup forwards all of them; source addresses come from a
 * small pool so high-severity alerts share incidents, as real ones do.
 */
const rules = [
  { id: 'edr-1001', name: 'Suspicious PowerShell encoded command', category: 'execution' },
  { id: 'edr-2040', name: 'Credential dumping via LSASS access', category: 'credential-access' },
  { id: 'auth-0007', name: 'Multiple failed logins for one account', category: 'brute-force' },
  { id: 'net-3310', name: 'Outbound connection to known C2 infrastructure', category: 'command-and-control' },
  { id: 'fim-0042', name: 'Unexpected change to a system binary', category: 'persistence' },
];
/** Roughly a quarter high or critical: those go through correlation into incidents. */
const severityCycle: readonly Severity[] = ['critical', 'medium', 'low', 'high', 'info', 'medium', 'low', 'info'];
const users = ['alice', 'bob', 'carol', 'svc-backup', 'svc-deploy'];
const processes = ['powershell.exe', 'rundll32.exe', 'sshd', 'curl', 'python3'];

export interface BodyOptions {
  /** Namespaces hosts and sensor ids so two streams never share a fingerprint. */
  readonly stream: string;
  readonly now: number;
  /** Send the sensor's own id (fixes the alert id; lets the bench know it in advance). */
  readonly withId?: boolean;
  readonly severity?: Severity;
  /** Override the rule and source address (latency samples pick their incident groups). */
  readonly ruleIndex?: number;
  readonly srcIp?: string;
}

export function vigilBody(n: number, options: BodyOptions): Record<string, unknown> {
  const rule = rules[(options.ruleIndex ?? n) % rules.length]!;
  const severity = options.severity ?? severityCycle[n % severityCycle.length]!;
  return {
    ...(options.withId ? { id: `${options.stream}-${n}` } : {}),
    rule: { id: rule.id, name: rule.name, category: rule.category },
    severity,
    event_time: new Date(options.now - (n % 5) * 1000).toISOString(),
    source: { product: 'bench-edr', sensor_id: `${options.stream}-agent-${n % 50}` },
    observables: {
      host: `${options.stream}-host-${n}`,
      user: users[n % users.length],
      src_ip: options.srcIp ?? `10.${(n >> 8) % 4}.${n % 256}.${(n % 7) + 10}`,
      src_port: 40_000 + (n % 20_000),
      dst_ip: `192.168.${n % 16}.${(n % 200) + 20}`,
      dst_port: [22, 443, 445, 3389, 8080][n % 5],
      protocol: 'tcp',
      process: processes[n % processes.length],
      file_hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    },
    labels: { environment: 'bench', site: `dc-${n % 3}` },
  };
}

/** A JSON array body of `count` alerts starting at `first`. */
export function batchBody(first: number, count: number, options: BodyOptions): Buffer {
  return Buffer.from(JSON.stringify(Array.from({ length: count }, (_, k) => vigilBody(first + k, options))));
}

/** What the gateway makes of a body: the normalized alert it produces to alerts.raw.v1. */
export function gatewayAlert(body: unknown, tenant: string, now: number): Alert {
  const result = intake('vigil', body, { tenant, now, idempotencyKey: null, index: 0 });
  if (!result.ok) throw new Error(`bench alert rejected by the vigil mapper: ${result.code} ${result.path} ${result.message}`);
  return result.alert;
}

const vigilFields = (() => {
  const normalised = normaliseFields(formatDefaultFields.vigil);
  if (!normalised.ok) throw new Error(normalised.problem);
  return normalised.fields;
})();

/** The bulk operation the indexer writes for this alert once dedup forwarded it, aimed at `index`. */
export function indexerOp(alert: Alert, index: string, now: number): BulkOp {
  const decision = indexDecision(topics.alerts.name, canonicalAlert(alert, fingerprint(alert, vigilFields)), now);
  if (decision.kind !== 'write') throw new Error(`indexer would reject the bench alert: ${decision.message}`);
  return { ...decision.op, index } as BulkOp;
}
