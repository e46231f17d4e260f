import { writeFile } from 'node:fs/promises';
import { createProgress } from './send-progress.ts';

type Log = (line: string) => void;
export type Call = (method: string, path: string, body?: string, contentType?: string) => Promise<{ status: number; json: Record<string, unknown>; text: string }>;

/** `export [RULE...] [--out FILE]`: Sigma YAML of some rules, or all of them. */
export async function exportRules(call: Call, ids: readonly string[], out: string | undefined, log: Log): Promise<{ status: number; json: Record<string, unknown> } | null> {
  const query = ids.length > 0 ? `?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}` : '';
  const r = await call('GET', `/v1/rules/export${query}`);
  if (r.status !== 200) return r;
  if (out) {
    await writeFile(out, r.text);
    log(`wrote ${out}`);
  } else {
    log(r.text.trimEnd());
  }
  return null;
}

/** `history RULE` and `diff RULE A B`. */
export async function history(call: Call, id: string, log: Log): Promise<{ status: number; json: Record<string, unknown> } | null> {
  const r = await call('GET', `/v1/rules/${encodeURIComponent(id)}/versions`);
  if (r.status !== 200) return r;
  for (const v of r.json['items'] as Array<{ version: number; created_by: string; created_at: number; title: string }>) log(`v${v.version}  ${new Date(v.created_at).toISOString()}  ${v.created_by}  ${v.title}`);
  return null;
}

export async function diff(call: Call, id: string, from: string, to: string, log: Log): Promise<{ status: number; json: Record<string, unknown> } | null> {
  const r = await call('GET', `/v1/rules/${encodeURIComponent(id)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  if (r.status !== 200) return r;
  log(`--- ${id} v${from}\n+++ ${id} v${to}\n${String(r.json['diff'])}`);
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `simulate RULE --from --to`: submit, follow the job with a progress bar (stderr), print
 * the incidents it would have raised. Ctrl-C cancels the job before leaving.
 */
export async function simulate(call: Call, body: Record<string, unknown>, json: boolean, log: Log): Promise<{ status: number; json: Record<string, unknown> } | null> {
  const submitted = await call('POST', '/v1/rules/simulate', JSON.stringify(body), 'application/json');
  if (submitted.status !== 202) return submitted;
  const id = String(submitted.json['id']);
  const progress = createProgress(process.stderr);
  let started = false;
  const cancel = () => void call('POST', `/v1/rules/simulations/${id}/cancel`).finally(() => process.exit(130));
  process.once('SIGINT', cancel);
  try {
    for (;;) {
      const status = await call('GET', `/v1/rules/simulations/${id}`);
      if (status.status !== 200) return status;
      const p = status.json['progress'] as { alerts_read?: number; alerts_total?: number; incidents?: number } | undefined;
      if (p && typeof p.alerts_total === 'number') {
        if (!started) progress.start(p.alerts_total);
        started = true;
        progress.update(p.alerts_read ?? 0, p.incidents ?? 0, 0);
      }
      const state = status.json['state'];
      if (state === 'failed') return { status: 500, json: { error: { code: 'SIMULATION_FAILED', message: String(status.json['error']) } } };
      if (state === 'completed' || state === 'cancelled') break;
      await sleep(500);
    }
  } finally {
    process.off('SIGINT', cancel);
    progress.stop();
  }
  const result = await call('GET', `/v1/rules/simulations/${id}/result`);
  if (result.status !== 200) return result;
  if (json) {
    log(JSON.stringify(result.json, null, 2));
    return null;
  }
  const r = result.json as { alerts_read: number; incident_count: number; message: string | null; rule: { id: string; version: number }; incidents: Array<{ id: string; severity: string; alert_count: number; group_values: Record<string, string>; first_seen: number }> };
  log(`${r.rule.id} v${r.rule.version}: ${r.alerts_read} alerts read, ${r.incident_count} incident(s) would have been raised`);
  for (const i of r.incidents) log(`  ${i.id}  ${i.severity.padEnd(8)} ${String(i.alert_count).padStart(5)} alerts  ${new Date(i.first_seen).toISOString()}  ${JSON.stringify(i.group_values)}`);
  if (r.message) log(`note: ${r.message}`);
  return null;
}
