import { describe, expect, it } from 'vitest';
import { planImport } from './import-plan.ts';
import { createBackup, verifyBackup } from './rule-backup.ts';
import { diffLines, formatDiff } from './rule-diff.ts';
import { exportSigma } from './sigma-export.ts';
import type { StoredRule } from './rule-store.ts';

const detection = 'title: Exploit attempt\nname: exploit_attempt\ndetection:\n  selection:\n    rule_name|contains: exploit\n  condition: selection';
const correlation = 'title: Many exploits\nid: many-exploits\ncorrelation:\n  type: event_count\n  rules: [exploit_attempt]\n  group-by: [src_ip]\n  timespan: 5m\n  condition:\n    gte: 2';

function stored(key: string, kind: StoredRule['kind'], source: string): StoredRule {
  const plan = planImport(source, new Map(), []);
  return { key, kind, title: key, version: 1, enabled: true, deleted: false, settings: { reopen_ms: 1000 }, source, contentHash: plan.writes[0]!.contentHash, updatedAt: new Date(0) };
}

const rules = [stored('many-exploits', 'correlation', correlation), stored('exploit_attempt', 'detection', detection)];

describe('Sigma export', () => {
  it('re-imports to the same rules: every document unchanged against the originals', () => {
    const existing = new Map(rules.map((r) => [r.key, { key: r.key, version: 1, contentHash: r.contentHash, deleted: false }]));
    const plan = planImport(exportSigma(rules), existing, []);
    expect(plan.results.map((r) => [r.key, r.status])).toEqual([['exploit_attempt', 'unchanged'], ['many-exploits', 'unchanged']]);
    expect(plan.writes).toEqual([]);
  });
});

describe('import plan', () => {
  it('refuses a name another rule of the tenant already uses, in the file or stored, and names that rule', () => {
    const twin = 'title: Other exploit\nid: other-exploit\nname: exploit_attempt\ndetection:\n  selection:\n    rule_id: x\n  condition: selection';
    const inFile = planImport(`${detection}\n---\n${twin}`, new Map(), []);
    expect(inFile.results.map((r) => [r.key, r.status])).toEqual([['exploit_attempt', 'imported'], ['other-exploit', 'rejected']]);
    expect(inFile.results[1]!.problems![0]).toMatchObject({ path: 'name', message: expect.stringContaining('already used by rule exploit_attempt') });
    const storedTwin = planImport(twin, new Map(), [{ rule: planImport(detection, new Map(), []).writes[0]!.rule, version: 1 }]);
    expect(storedTwin.results.map((r) => r.status)).toEqual(['rejected']);
    // Re-importing the same rule is no clash with itself.
    expect(planImport(detection, new Map(), [{ rule: planImport(detection, new Map(), []).writes[0]!.rule, version: 1 }]).results.map((r) => r.status)).toEqual(['imported']);
  });
});

describe('aliases', () => {
  const withAliases = (ruleName: string) => `title: Same address\nid: same-address\ncorrelation:\n  type: temporal\n  rules: [exploit_attempt, many-exploits]\n  group-by: [ip]\n  timespan: 5m\n  aliases:\n    ip:\n      ${ruleName}: src_ip\n      many-exploits: src_ip`;

  it('accepts aliases by the label, the name or the id of a referenced rule, and refuses one that names no referenced rule', () => {
    const others = [detection, correlation].map((text) => ({ rule: planImport(text, new Map(), []).writes[0]!.rule, version: 1 }));
    expect(planImport(withAliases('exploit_attempt'), new Map(), others).results.map((r) => r.status)).toEqual(['imported']);
    const typo = planImport(withAliases('exploit_atempt'), new Map(), others).results[0]!;
    expect(typo.status).toBe('rejected');
    expect(typo.problems![0]).toMatchObject({ path: 'correlation.aliases', message: expect.stringContaining('"exploit_atempt"') });
  });
});

describe('chains', () => {
  it('warns when a correlation groups by a field the correlation it chains on does not carry', () => {
    const chained = (groupBy: string) => `title: Then a success\nid: then-success\ncorrelation:\n  type: temporal_ordered\n  rules: [many-exploits, login_ok]\n  group-by: [${groupBy}]\n  timespan: 1h`;
    const others = [detection, correlation].map((text) => ({ rule: planImport(text, new Map(), []).writes[0]!.rule, version: 1 }));
    const gap = planImport(chained('user_name'), new Map(), others).results[0]!;
    expect(gap.status).toBe('imported');
    expect(gap.warnings).toContainEqual(expect.stringContaining('firings of "many-exploits" carry only its own group-by values, not "user_name"'));
    const fine = planImport(chained('src_ip'), new Map(), others).results[0]!;
    expect((fine.warnings ?? []).filter((w) => w.startsWith('firings'))).toEqual([]);
  });
});

describe('rule backup', () => {
  const backup = createBackup(rules, { tenantId: 'acme', actor: 'admin-1', vigilVersion: '0.1.0', now: Date.UTC(2026, 0, 1) });

  it('verifies a file as exported, whatever the key order', () => {
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(backup).reverse()))) as unknown;
    expect(verifyBackup(reordered)).toMatchObject({ ok: true });
  });

  it.each([
    ['a changed rule source', { ...backup, rules: backup.rules.map((r) => ({ ...r, source: r.source.replace('gte: 2', 'gte: 20') })) }, /checksum does not match/],
    ['a flipped enabled flag', { ...backup, rules: backup.rules.map((r) => ({ ...r, enabled: false })) }, /checksum does not match/],
    ['another origin tenant', { ...backup, tenant_id: 'globex' }, /checksum does not match/],
    ['a missing checksum', { ...backup, checksum: undefined }, /checksum/],
    ['not a backup at all', { rules: [] }, /not a Vigil rules backup/],
  ])('refuses %s', (_name, file, reason) => {
    const check = verifyBackup(file);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(reason);
  });
});

describe('diffLines', () => {
  it('shows a changed line as removed then added, the rest as context', () => {
    expect(formatDiff(diffLines('a\nb\nc', 'a\nB\nc'))).toBe(' a\n-b\n+B\n c');
  });
  it('reports no change for equal sources', () => {
    expect(diffLines('x\ny', 'x\ny').every((l) => l.op === ' ')).toBe(true);
  });
});
