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

/** A service's key in the state file: `dedup` for its first instance, `dedup#2` for the second. */
export const instanceKey = (name: ServiceName, instance: number): string => (instance === 1 ? name : `${name}#${instance}`);

export function createSupervisor(ctx: DevContext, log: (line: string) => void, options: SupervisorOptions = {}) {
  const stateFile = options.stateFile ?? runStateFile(ctx);
  // `env`: what the service was first started with (ports, group), so a restart is the same service.
  const services = new Map<string, { name: ServiceName; instance: number; proc: ServiceProcess | null; exits: number[]; state: ServiceState; env: Readonly<Record<string, string>> }>();
  let stopping = false;

  const save = () => {
    const out: Record<string, ServiceState> = {};
    for (const [name, s] of services) out[name] = s.state;
    writeFileSync(stateFile, JSON.stringify({ supervisorPid: process.pid, services: out }, null, 2));
  };

  // Log files: `dedup.log`, `dedup-2.log` (with the options' instance name in between, if any).
  const logInstance = (instance: number) => [options.instance, instance > 1 ? String(instance) : undefined].filter((p) => p !== undefined).join('-');
  const launch = (name: ServiceName, instance: number, env: Readonly<Record<string, string>>) => {
    const logName = logInstance(instance);
    return startService(ctx, name, { env, ...(logName ? { instance: logName } : {}) });
  };

  function watch(key: string, proc: ServiceProcess): void {
    void proc.exited.then((exit) => {
      const entry = services.get(key)!;
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
      log(`${key} (pid ${proc.pid}) exited with ${entry.state.lastExit}; restarting in ${decision.delayMs / 1000} s (log ${proc.logFile})`);
      if (decision.crashLoop) log(`!!! ${key} KEEPS CRASHING: ${decision.recentExits} exits within a minute. Check ${proc.logFile}. Still restarting with backoff.`);
      setTimeout(() => void restart(key), decision.delayMs);
    });
  }

  async function restart(key: string): Promise<void> {
    if (stopping) return;
    const entry = services.get(key)!;
    try {
      const proc = await launch(entry.name, entry.instance, entry.env);
      entry.proc = proc;
      entry.state.pid = proc.pid;
      entry.state.restarts++;
      save();
      log(`${key} restarted (pid ${proc.pid}, restart #${entry.state.restarts})`);
      watch(key, proc);
    } catch (err) {
      // Did not come up: counts as another exit, with a longer backoff.
      entry.exits.push(Date.now());
      const decision = restartDecision(entry.exits, Date.now());
      log(`${key} failed to restart: ${(err as Error).message}; next try in ${decision.delayMs / 1000} s`);
      setTimeout(() => void restart(key), decision.delayMs);
    }
  }

  return {
    /** Start (instance k of) a service; further instances of a worker need their own METRICS_PORT in `env`. */
    async start(name: ServiceName, env: Readonly<Record<string, string>> = {}, instance = 1): Promise<ServiceProcess> {
      const key = instanceKey(name, instance);
      const proc = await launch(name, instance, env);
      services.set(key, { name, instance, proc, exits: [], state: { pid: proc.pid, restarts: 0, lastExit: null, lastExitAt: null, crashLoop: false }, env });
      save();
      watch(key, proc);
      return proc;
    },
    /** The running process of a service (null while it is down or being restarted). */
    current(name: ServiceName, instance = 1): ServiceProcess | null {
      return services.get(instanceKey(name, instance))?.proc ?? null;
    },
    state(name: ServiceName, instance = 1): ServiceState | undefined {
      return services.get(instanceKey(name, instance))?.state;
    },
    async stopAll(): Promise<void> {
      stopping = true;
      await Promise.all([...services.values()].map((s) => s.proc?.stop('SIGTERM')));
      save();
    },
  };
}
