/** What `vigil status` shows of a supervised service (written by the dev stack's supervisor under `vigil run`). */
export interface RunState {
  restarts: number;
  lastExit: string | null;
  crashLoop: boolean;
}

/**
 * A service's supervised instances (`dedup`, `dedup#2`, … under `VIGIL_WORKERS`) as one
 * row: restarts summed, the most recent exit, a crash loop if any instance is in one.
 */
export function combinedRunState(run: Readonly<Record<string, RunState & { lastExitAt?: string | null }>>, name: string): (RunState & { instances: number }) | undefined {
  const states = Object.entries(run).filter(([key]) => key === name || key.startsWith(`${name}#`)).map(([, state]) => state);
  if (states.length === 0) return undefined;
  const latest = states.filter((s) => s.lastExit !== null).sort((a, b) => (b.lastExitAt ?? '').localeCompare(a.lastExitAt ?? ''))[0];
  return { restarts: states.reduce((n, s) => n + s.restarts, 0), lastExit: latest?.lastExit ?? null, crashLoop: states.some((s) => s.crashLoop), instances: states.length };
}
