// Supplementary to `npm run bench`: phase 6 (the pure correlation engine, 100 rules per
// tenant, groups in memory) alone, so a change to the engine's hot path can be measured
// before and after without the stack.
//   npx tsx scripts/bench/experiments/correlation-core.ts [alerts=20000] [rounds=3]
import { gatewayAlert, vigilBody } from '../alerts.ts';
import { correlationCore } from '../phases/correlation-core.ts';

const n = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const now = Date.now();
const alerts = Array.from({ length: n }, (_, k) => gatewayAlert(vigilBody(k, { stream: 'core', now }), `bench-core-${k % 4}`, now));
for (let round = 1; round <= rounds; round++) {
  // CPU time as well as wall time: it stays comparable when other work shares the cores.
  const cpu = process.cpuUsage();
  const r = await correlationCore(alerts);
  const used = process.cpuUsage(cpu);
  const cpuUsPerAlert = (used.user + used.system) / alerts.length;
  console.log(`round ${round}: ${r.alertsPerSecond} alerts/s wall, ${cpuUsPerAlert.toFixed(0)} µs CPU per alert, ${r.decisionsPerAlert} decisions per alert, ${r.incidents} incidents`);
}
