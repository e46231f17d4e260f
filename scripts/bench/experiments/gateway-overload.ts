// Supplementary to `npm run bench` (docs/benchmarks.md): a real ingest-api alone (no
// workers) offered more than it can take, with different numbers of concurrent clients:
// does it shed (429/503) or queue, and does its memory depend on the clients rather than
// on its own limits? The alerts it posts (tenant bench-experiment) stay on alerts.raw.v1
// for the default consumer groups.
//   npx tsx scripts/bench/experiments/gateway-overload.ts [caps, default 64,256,1024] [requests/s, default 200] [gateway env as K=V,K=V]
import { createDevContext, startService, mintDevToken } from '@vigil/dev-stack';
import { batchBody } from '../alerts.ts';
import { createAgent, openLoop } from '../http-load.ts';
import { rssKb } from '../proc.ts';
import { summary } from '../stats.ts';

const caps = (process.argv[2] ?? '64,256,1024').split(',').map(Number);
const ratePerSecond = Number(process.argv[3] ?? 200);
const gatewayCap = Object.fromEntries((process.argv[4] ?? '').split(',').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
// One tenant stands for every sensor here: its share is the whole in-flight budget unless set.
gatewayCap['MAX_TENANT_INFLIGHT_BODY_BYTES'] ??= gatewayCap['MAX_INFLIGHT_BODY_BYTES'] ?? '1048576';
const cli = createDevContext(process.env);
for (const cap of caps) {
  const proc = await startService(cli, 'ingest-api', {
    instance: 'experiment',
    env: { PORT: '18110', METRICS_PORT: '19610', TENANT_RATE_LIMIT_PER_MINUTE: '100000000', CLIENT_RATE_LIMIT_PER_MINUTE: '100000000', ...gatewayCap },
  });
  try {
    const token = await mintDevToken(cli, { tenant: 'bench-experiment', role: 'sensor' });
    const agent = createAgent(cap);
    const now = Date.now();
    const bodies = Array.from({ length: 50 }, (_, i) => batchBody(i * 100, 100, { stream: 'experiment-overload', now }));
    let maxRss = 0;
    const timer = setInterval(() => (maxRss = Math.max(maxRss, rssKb(proc.pid) ?? 0)), 200);
    const codes: Record<string, number> = {};
    const ms: Record<string, number[]> = {};
    const run = await openLoop({
      agent,
      target: { host: '127.0.0.1', port: 18110, headers: { authorization: `Bearer ${token}` } },
      path: '/v1/alerts/batch?format=vigil',
      ratePerSecond,
      seconds: 12,
      maxInFlight: cap,
      body: (i) => bodies[i % bodies.length]!,
      readBody: true,
      timeoutMs: 60_000,
      onResult: (r) => {
        let code = r.status === 0 ? `no answer (${r.failure ?? 'unknown'})` : String(r.status);
        try {
          code = (JSON.parse(r.body ?? '') as { error?: { code?: string } }).error?.code ?? code;
        } catch {
          // not JSON: keep the status
        }
        codes[code] = (codes[code] ?? 0) + 1;
        (ms[code] ??= []).push(Math.round(r.ms));
      },
    });
    clearInterval(timer);
    const times = Object.entries(ms).map(([code, v]) => `${code} p50 ${summary(v).p50} ms p99 ${summary(v).p99} ms`).join(', ');
    console.log(`${cap} clients: sent ${run.sent}, not sent (all clients busy) ${run.clientDropped}, answers ${JSON.stringify(codes)}, ${times}; gateway max RSS ${Math.round(maxRss / 1024)} MB`);
    agent.destroy();
  } finally {
    await proc.stop();
  }
}
