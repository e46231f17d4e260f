// Summarises V8 CPU profiles (gateway-cpu.ts --profile, or `BENCH_PROFILE=1 npm run bench`,
// which profiles every service during the end-to-end phase): self time by package and the
// top functions, idle excluded from neither (a stage waiting on round trips shows as idle).
//   npx tsx scripts/bench/experiments/profile-summary.ts .vigil/bench/profiles/<pid>.cpuprofile ...
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

/** Self time by package (node_modules name, or repo folder) and the top functions. */
export function summariseProfile(file: string, repoRoot: string): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const where = (url: string, fn: string) => {
    if (url.includes('node_modules/')) {
      const parts = url.split('node_modules/').at(-1)!.split('/');
      return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    }
    if (url.startsWith('file://')) return url.replace(`file://${repoRoot}/`, '').split('/').slice(0, 2).join('/');
    if (url.startsWith('node:')) return 'node core';
    return `(native) ${fn}`;
  };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    add(byPackage, where(url, functionName || '(anonymous)'), t);
    add(byFunction, `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber}`, t);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  return `profile ${file} (${Math.round(total / 1000)} ms sampled)\nby package:\n${top(byPackage, 15)}\nby function:\n${top(byFunction, 20)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
  for (const file of process.argv.slice(2)) console.log(summariseProfile(file, repoRoot));
}
