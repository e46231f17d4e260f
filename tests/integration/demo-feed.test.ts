import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigil/contracts';
import { compileDocument, compileRuleSet, correlateAlert, createMemoryStateStore, parseDocuments, type EngineDecision } from '@vigil/detection';
import { bruteForceEpisode, demoTick, exploitAttempt, suricataAlert } from '@vigil/dev-stack';
import { intake } from '@vigil/ingest-api';

// The demo is what a new user sees first: every record it posts must be accepted, and its
// attacks must become incidents under the rules `npm start` imports.
const now = Date.UTC(2026, 11, 2, 12, 0);

function mapped(format: 'vigil' | 'suricata', body: object): Alert {
  const out = intake(format, body, { tenant: 'acme', now } as never);
  if (!out.ok) throw new Error(`${format} record rejected: ${out.code} ${out.path} ${out.message}`);
  return out.alert;
}

function demoRules() {
  const parsed = parseDocuments(readFileSync(new URL('../../infra/demo/rules.yml', import.meta.url), 'utf8'));
  const compiled = parsed.documents.map(compileDocument);
  return { parsed, compiled, set: compileRuleSet(compiled.flatMap((c) => (c.ok ? [{ rule: c.rule, version: 1 }] : []))) };
}

async function incidentsOf(alerts: readonly Alert[]): Promise<string[]> {
  const { set } = demoRules();
  const store = createMemoryStateStore();
  const decisions: EngineDecision[] = [];
  let watermark = -Infinity;
  for (const alert of alerts) {
    watermark = Math.max(watermark, alert.event_time);
    decisions.push(...(await correlateAlert(set, alert, watermark, store)));
  }
  return decisions.filter((d) => d.kind === 'opened' && d.node.raisesIncidents).map((d) => `${d.node.key} ${JSON.stringify(d.kind === 'opened' ? d.groupValues : {})}`);
}

describe('the demo feed and its rules', () => {
  it('posts only records the gateway accepts, over two minutes of ticks for two tenants', () => {
    let records = 0;
    for (let n = 0; n < 120; n += 1) {
      for (const [i, tenant] of ['acme', 'globex'].entries()) {
        for (const batch of demoTick(n, i, tenant, now)) for (const body of batch.records) records += mapped(batch.format, body) ? 1 : 0;
      }
    }
    expect(records).toBeGreaterThan(120 * 2 * 6);
  });

  it('imports every demo rule', () => {
    const { parsed, compiled } = demoRules();
    expect(parsed.problems).toEqual([]);
    expect(compiled.filter((c) => !c.ok)).toEqual([]);
  });

  it('turns a brute-force episode into one incident, and a scan then an exploit into another', async () => {
    const episode = bruteForceEpisode(7, now, 'acme-bastion').map((b) => mapped('vigil', b));
    const scan = mapped('suricata', suricataAlert(0, now - 60_000));
    const exploit = mapped('suricata', exploitAttempt(0, now));
    expect(await incidentsOf([...episode, scan, exploit])).toEqual([
      `demo-ssh-brute-force {"src_ip":"${episode[0]!.src_ip}"}`,
      `demo-scan-then-exploit {"src_ip":"${scan.src_ip}"}`,
    ]);
  });
});
