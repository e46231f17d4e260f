import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevContext, ServiceName } from './dev-context.ts';
import { restartDecision } from './restart-policy.ts';
import { startService, type ServiceProcess } from './service-process.ts';

/** What `vigil status` reads about each supervised service. */
export interface ServiceState {
  pid: number | null;
  restarts: number;
  lastExit: string | null;
  lastExitAt: string | null;
  crashLoop: boolean;
}

export const runStateFile = (ctx: DevContext) => join(ctx.stateDir, 'run-state.json');

/**
 * Keeps the services of `vigil run` alive: a worker that exits (kill -9, a crash, a
 * fatal stage condition) is reported with its exit code or signal and restarted with
 * backoff (restart-policy.ts); a service that keeps crashing is reported loudly on every
 * exit. The state goes to .vigil/run-state.json for `vigil status`.
 */
export interface SupervisorOptions {
  /** Where the state goes (tests keep theirs apart from a running `vigil run`'s). */
  readonly stateFile?: string;
  /** Names the services' log files apart (`<name>-<instance>.log`). */
  readonly instance?: string;
}

export function createSupervisor(ctx: DevContext, log: (line: string) => void, options: SupervisorOptions = {}) {
  const stateFile = options.stateFile ?? runStateFile(ctx);
  // `env`: what the service was first started with (ports, group), so a restart is the same service.
  const services = new Map<ServiceName, { proc: ServiceProcess | null; exits: number[]; state: ServiceState; env: Readonly<Record<string, string>> }>();
  let stopping = false;

  const save = () => {
    const out: Record<string, ServiceState> = {};
    for (const [name, s] of services) out[name] = s.state;
    writeFileSync(stateFile, JSON.stringify({ supervisorPid: process.pid, services: out }, null, 2));
  };

  function watch(name: ServiceName, proc: ServiceProcess): void {
    void proc.exited.then((exit) => {
      const entry = services.get(name)!;
      entry.proc = null;
      entry.state.pid = null;
      if (stopping) return save();
      const now = Date.now();
      entry.exits.push(now);
      const decision = restartDecision(entry.exits, now);
      entry.state.lastExit = typeof exit === 'string' ? `signal ${exit}` : `exit code ${String(exit)}`;
      entry.state.lastExitAt = new Date(now).toISOString();
      entry.state.crashLoop = decision.crashLoop;
      save();
      log(`${name} (pid ${proc.pid}) exited with ${entry.state.lastExit}; restarting in ${decision.delayMs / 1000} s (log ${proc.logFile})`);
      if (decision.crashLoop) log(`!!! ${name} KEEPS CRASHING: ${decision.recentExits} exits within a minute. Check ${proc.logFile}. Still restarting with backoff.`);
      setTimeout(() => void restart(name), decision.delayMs);
    });
  }

  async function restart(name: ServiceName): Promise<void> {
    if (stopping) return;
    const entry = services.get(name)!;
    try {
      const proc = await startService(ctx, name, { env: entry.env, ...(options.instance ? { instance: options.instance } : {}) });
      entry.proc = proc;
      entry.state.pid = proc.pid;
      entry.state.restarts++;
      save();
      log(`${name} restarted (pid ${proc.pid}, restart #${entry.state.restarts})`);
      watch(name, proc);
    } catch (err) {
      // Did not come up: counts as another exit, with a longer backoff.
      entry.exits.push(Date.now());
      const decision = restartDecision(entry.exits, Date.now());
      log(`${name} failed to restart: ${(err as Error).message}; next try in ${decision.delayMs / 1000} s`);
      setTimeout(() => void restart(name), decision.delayMs);
    }
  }

  return {
    async start(name: ServiceName, env: Readonly<Record<string, string>> = {}): Promise<ServiceProcess> {
      const proc = await startService(ctx, name, { env, ...(options.instance ? { instance: options.instance } : {}) });
      services.set(name, { proc, exits: [], state: { pid: proc.pid, restarts: 0, lastExit: null, lastExitAt: null, crashLoop: false }, env });
      save();
      watch(name, proc);
      return proc;
    },
    /** The running process of a service (null while it is down or being restarted). */
    current(name: ServiceName): ServiceProcess | null {
      return services.get(name)?.proc ?? null;
    },
    state(name: ServiceName): ServiceState | undefined {
      return services.get(name)?.state;
    },
    async stopAll(): Promise<void> {
      stopping = true;
      await Promise.all([...services.values()].map((s) => s.proc?.stop('SIGTERM')));
      save();
    },
  };
}
