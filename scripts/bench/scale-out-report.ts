import type { ScaleOut, ScaleOutPass } from './phases/scale-out.ts';
import { fmtInt, fmtRatio, ratio } from './stats.ts';

const ms = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(3)} ms`);
/** CPU per alert as the capacity model uses it: alerts/s one core carries for that process. */
const perCore = (v: number | undefined) => (v === undefined || v <= 0 ? '' : ` (${fmtInt(1000 / v)}/s per core)`);
const cells = (passes: readonly (ScaleOutPass | undefined)[], cell: (p: ScaleOutPass) => string) => passes.map((p) => (p ? cell(p) : 'n/a'));

/**
 * The rows of phase (9), one column per pass (one and two instances of every worker),
 * for report.ts to print after the main table. Exactness first: every accepted id
 * looked up in OpenSearch; then throughput, how the instances shared the work, and the
 * CPU per alert of each stage and store that docs/operations.md's capacity model uses.
 */
export function scaleOutRows(s: ScaleOut): string[][] {
  const one = s.passes.find((p) => p.instances === 1);
  const two = s.passes.find((p) => p.instances === 2);
  const passes = [one, two];
  const rows: string[][] = [['9. Scale-out: instances of each worker', '1 each', '2 each', '2 vs 1']];
  rows.push(['   … alerts posted / accepted (202)', ...cells(passes, (p) => `${fmtInt(p.posted)} / ${fmtInt(p.accepted)}`), '']);
  rows.push(['   … indexed, by id in OpenSearch', ...cells(passes, (p) => fmtInt(p.indexed)), '']);
  rows.push(['   … **lost / duplicated** / not accepted but indexed', ...cells(passes, (p) => `**${p.lost} / ${p.duplicated}** / ${p.unexpected}`), '']);
  rows.push(['   … end to end, 202 → searchable (alerts/s)', ...cells(passes, (p) => fmtInt(p.alertsPerSecond)), fmtRatio(ratio(two?.alertsPerSecond ?? null, one?.alertsPerSecond ?? null))]);
  rows.push(["   … records into dedup (+ others' on the shared topic)", ...cells(passes, (p) => `${fmtInt(p.recordsEntering)} (+${fmtInt(p.recordsEntering - p.accepted)})`), '']);
  rows.push(['   … every stage caught up (correlate too)', ...cells(passes, (p) => (p.drained ? 'yes' : 'NO')), '']);
  for (const stage of Object.keys(one?.recordsByInstance ?? two?.recordsByInstance ?? {})) {
    rows.push([`   … ${stage}: records per instance`, ...cells(passes, (p) => (p.recordsByInstance[stage] ?? []).map(fmtInt).join(' + ')), `partitions ${(s.split[stage] ?? []).join(' + ')}`]);
  }
  for (const name of Object.keys(one?.cpuMsPerAlert ?? {})) {
    const label = name === 'pipeline' ? 'whole pipeline (all processes)' : name;
    rows.push([`   … CPU per alert: ${label}`, ...cells(passes, (p) => `${ms(p.cpuMsPerAlert[name])}${perCore(p.cpuMsPerAlert[name])}`), fmtRatio(ratio(two?.cpuMsPerAlert[name] ?? null, one?.cpuMsPerAlert[name] ?? null))]);
  }
  // Others' records share the pass's CPU and partitions: say so where the numbers are read.
  if (s.passes.some((p) => p.recordsEntering > p.accepted * 1.05)) rows.push(["   … others' records in a pass: its alerts/s is depressed; CPU per alert counts every record", '', '', '']);
  return rows;
}
