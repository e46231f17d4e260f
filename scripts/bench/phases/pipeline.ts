import type { Bench } from '../context.ts';
import { countersBetween, pipelineLag, stageCounters } from '../context.ts';
import { cpuBetween, type CpuShare } from '../proc.ts';
import { round, sleep } from '../stats.ts';

export interface DrainResult {
  readonly label: string;
  /** Lag per consumer group when the wait began and when it ended. */
  readonly lagBefore: Record<string, number>;
  readonly lagAfter: Record<string, number>;
  /** Seconds until each group's lag was 0 (null: not within the bound). */
  readonly secondsToZero: Record<string, number | null>;
  readonly seconds: number;
  readonly drained: boolean;
  /** Records each stage consumed per second while catching up (from its own /metrics). */
  readonly stages: ReturnType<typeof countersBetween>;
  readonly cpu: CpuShare;
}

/**
 * Wait (bounded) until every pipeline group has committed everything on its topics:
 * the backlog of earlier phases (and of anyone else's runs) must not sit in front of
 * the alerts a measurement times. While waiting, the stages run flat out, so their
 * records/s here are the pipeline's own consumption rates.
 */
export async function drain(bench: Bench, label: string, timeoutS: number): Promise<DrainResult> {
  const started = performance.now();
  const cpuStart = bench.cpu.snapshot();
  const countersStart = await stageCounters(bench);
  const lagBefore = await pipelineLag(bench);
  const secondsToZero: Record<string, number | null> = Object.fromEntries(Object.keys(lagBefore).map((g) => [g, lagBefore[g] === 0 ? 0 : null]));
  let lag = lagBefore;
  let lastLog = 0;
  while (Object.values(lag).some((v) => v > 0) && performance.now() - started < timeoutS * 1000) {
    await sleep(500);
    lag = await pipelineLag(bench);
    const t = round((performance.now() - started) / 1000, 1);
    for (const [g, v] of Object.entries(lag)) if (v === 0 && secondsToZero[g] === null) secondsToZero[g] = t;
    if (t - lastLog >= 10) {
      lastLog = t;
      bench.log(`  … ${label}: ${Object.entries(lag).map(([g, v]) => `${g} ${v}`).join(', ')}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const countersEnd = await stageCounters(bench);
  return {
    label,
    lagBefore,
    lagAfter: lag,
    secondsToZero,
    seconds: round(seconds, 1),
    drained: Object.values(lag).every((v) => v === 0),
    stages: countersBetween(countersStart, countersEnd, seconds),
    cpu: cpuBetween(cpuStart, bench.cpu.snapshot()),
  };
}
