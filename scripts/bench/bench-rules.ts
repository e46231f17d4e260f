import { createPool } from '@vigil/postgres';
import { importRules } from '@vigil/rules';

/** The sensor rule ids the bench feed uses (scripts/bench/alerts.ts). */
const feedRules = ['edr-1001', 'edr-2040', 'auth-0007', 'net-3310', 'fim-0042'];

const doc = (lines: string[]) => lines.join('\n');

/**
 * A tenant's rule set of 100 Sigma documents, shaped like a SOC's: most correlations are
 * over the sensors' own detections, some over Sigma detection rules, a few chained. Every
 * alert of the feed is evaluated by all 21 detections and feeds about 20 correlations.
 * The first pair reproduces the rule incidents were measured with before rules were data
 * (high and critical alerts of one rule and source make one incident).
 */
export function benchRuleSet(): string {
  const docs: string[] = [];
  docs.push(doc(['title: High-severity alerts from one source', 'id: bench-high-by-source', 'level: high', 'correlation:', '  type: event_count', '  rules: [bench_high]', '  group-by: [rule_id, src_ip]', '  timespan: 1h', '  condition: {gte: 1}']));
  docs.push(doc(['title: High or critical', 'name: bench_high', 'detection:', '  selection:', '    severity: [high, critical]', '  condition: selection']));
  const detections = [
    ['process|endswith', "'.exe'"], ['process', 'sshd'], ['user_name|startswith', 'svc-'], ['src_ip|cidr', "'10.1.0.0/16'"], ['dst_port', '3389'],
    ['rule_name|contains', 'credential'], ['labels.site', 'dc-1'], ['dst_ip|cidr', "'192.168.8.0/21'"], ['host|contains', '-host-1'], ['protocol', 'udp'],
    ['process|re', "'^(curl|wget)$'"], ['user_name', 'alice'], ['rule_category', 'persistence'], ['dst_port|gte', '8000'], ['severity', 'critical'],
    ['file_hash|startswith', 'e3b0'], ['src_port|lt', '40100'], ['user_name|endswith', 'deploy'], ['rule_name|contains|all', '[outbound, C2]'], ['sensor_id|contains', 'agent-4'],
  ];
  detections.forEach(([field, value], i) => {
    docs.push(doc([`title: Bench detection ${i}`, `name: bench_det_${i}`, 'detection:', '  selection:', `    ${field}: ${value}`, '  condition: selection']));
    docs.push(doc([`title: Bench detection ${i} repeated`, `id: bench-det-count-${i}`, 'correlation:', '  type: event_count', `  rules: [bench_det_${i}]`, `  group-by: [${i % 2 === 0 ? 'src_ip' : 'host'}]`, '  timespan: 10m', `  condition: {gte: ${5 + i}}`]));
  });
  for (let i = 0; i < 20; i++) {
    const groupBy = [['src_ip'], ['user_name'], ['host'], ['src_ip', 'user_name'], ['dst_ip']][i % 5]!;
    docs.push(doc([`title: Bench count ${i}`, `id: bench-count-${i}`, 'correlation:', '  type: event_count', `  rules: [${feedRules[i % 5]}]`, `  group-by: [${groupBy.join(', ')}]`, `  timespan: ${5 + (i % 3) * 5}m`, `  condition: {gte: ${10 + i * 5}}`]));
  }
  for (let i = 0; i < 10; i++) {
    docs.push(doc([`title: Bench distinct ports ${i}`, `id: bench-ports-${i}`, 'correlation:', '  type: value_count', `  rules: [${feedRules[i % 5]}, ${feedRules[(i + 1) % 5]}]`, '  group-by: [src_ip]', '  timespan: 15m', `  condition: {field: dst_port, gte: ${4 + i}}`]));
    docs.push(doc([`title: Bench temporal ${i}`, `id: bench-temporal-${i}`, 'correlation:', '  type: temporal', `  rules: [${feedRules[i % 5]}, ${feedRules[(i + 2) % 5]}]`, '  group-by: [user_name]', '  timespan: 10m']));
  }
  for (let i = 0; i < 8; i++) {
    docs.push(doc([`title: Bench sequence ${i}`, `id: bench-sequence-${i}`, 'correlation:', '  type: temporal_ordered', `  rules: [${feedRules[i % 5]}, ${feedRules[(i + 3) % 5]}]`, '  group-by: [host]', '  timespan: 5m']));
  }
  for (let i = 0; i < 10; i++) {
    docs.push(doc([`title: Bench unused ${i}`, `id: bench-unused-${i}`, 'correlation:', '  type: event_count', `  rules: [never-seen-${i}]`, '  group-by: [src_ip]', '  timespan: 1h', '  condition: {gte: 2}']));
  }
  return docs.join('\n---\n');
}

/** Import the bench rule set for these tenants, as an engineer would (versions, audit). */
export async function importBenchRules(databaseUrl: string, tenants: readonly string[]): Promise<number> {
  const pool = createPool(databaseUrl, 'vigil-bench-rules');
  try {
    let count = 0;
    for (const tenant of tenants) {
      const report = await importRules(pool, tenant, 'bench', benchRuleSet());
      if (report.rejected > 0) throw new Error(`bench rules rejected: ${JSON.stringify(report.rules.filter((r) => r.status === 'rejected'))}`);
      count = report.imported + report.updated + report.unchanged;
    }
    return count;
  } finally {
    await pool.end();
  }
}
