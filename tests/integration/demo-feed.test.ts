import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigil/contracts';
import { compileDocument, parseDocuments } from '@vigil/detection';
import { ruleSet, runAlerts } from '@vigil/detection/testing';
import { bruteForceEpisode, demoTick, exploitAttempt, suricataAlert, vigilAlert } from '@vigil/dev-stack';
import { intake } from '@vigil/ingest-api';

// The demo is what a new user sees first: every record it posts must be accepted, and its
// attacks must become incidents under the rules `npm start` imports.
const now = Date.UTC(2026, 11, 2, 12, 0);

function mapped(format: 'vigil' | 'suricata', body: object): Alert {
  const out = intake(format, body, { tenant: 'acme', now } as never);
  if (!out.ok) throw new Error(`${format} record rejected: ${out.code} ${out.path} ${out.message}`);
  return out.alert;
}

const rulesText = () => readFileSync(new URL('../../infra/demo/rules.yml', import.meta.url), 'utf8');

async function incidentsOf(alerts: readonly Alert[]): Promise<string[]> {
  const { incidents } = await runAlerts(ruleSet(rulesText()), alerts);
  return incidents.map((d) => `${d.node.key} ${JSON.stringify(d.groupValues)}`);
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
    const parsed = parseDocuments(rulesText());
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents.map(compileDocument).filter((c) => !c.ok)).toEqual([]);
    expect(parsed.documents).toHaveLength(10);
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

  it('finds the download cradle inside an encoded PowerShell command (wide|base64offset), and nothing in the other EDR alerts', async () => {
    // n = 0 is the encoded-command detection, 1 and 2 the other EDR rules.
    const [encoded, dumping, failed] = [0, 1, 2].map((n) => mapped('vigil', vigilAlert(n, now, 'acme-ws-7')));
    expect(encoded!.labels['CommandLine']).toMatch(/ -enc [A-Za-z0-9+/=]+$/);
    expect(encoded!.labels['CommandLine']).not.toContain('DownloadString');
    expect(await incidentsOf([encoded!, dumping!, failed!])).toEqual(['demo-encoded-download-cradle {"host":"acme-ws-7"}']);
    expect(await incidentsOf([dumping!, failed!])).toEqual([]);
  });
});
