import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { DevContext, ServiceName } from './dev-context.ts';
import { servicePorts } from './dev-context.ts';
import { heapLimitArgs } from './heap-limits.ts';
import { httpGet, waitUntil } from './stack/probes.ts';

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly pid: number;
  readonly logFile: string;
  readonly opsUrl: string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** Send a signal and wait for the exit; SIGKILL after graceMs. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface StartServiceOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Distinguishes log files of several instances (tests run extra workers). */
  readonly instance?: string;
  readonly readyTimeoutMs?: number;
}

/**
 * Start one Vigil service as a child process (tsx, no build step, its heap limit from
 * heap-limits.ts), its output in
 * `.vigil/logs/<name>[-<instance>].log`, and wait until its /readyz answers 200.
 */
export async function startService(ctx: DevContext, name: ServiceName, options: StartServiceOptions = {}): Promise<ServiceProcess> {
  const logDir = join(ctx.stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}${options.instance ? `-${options.instance}` : ''}.log`);
  const fd = openSync(logFile, 'a');
  const env = { ...ctx.baseEnv, ...ctx.serviceEnv, ...options.env };
  const metricsPort = Number(env['METRICS_PORT'] ?? servicePorts[name].metrics);
  const child: ChildProcess = spawn(process.execPath, [...heapLimitArgs(name, env), '--import', 'tsx', join(ctx.repoRoot, 'services', name, 'src', 'main.ts')], {
    cwd: ctx.repoRoot,
    env: { ...env, METRICS_PORT: String(metricsPort) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const opsUrl = `http://127.0.0.1:${metricsPort}`;
  try {
    await waitUntil(
      async () => {
        if (gone) throw new Error(`${name} exited during start-up; see ${logFile}`);
        return (await httpGet(`${opsUrl}/readyz`, 1000))?.status === 200 ? true : undefined;
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 250 },
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not become ready: ${(err as Error).message} (log: ${logFile})`);
  }
  return {
    name,
    pid: child.pid!,
    logFile,
    opsUrl,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 20_000) {
      if (gone) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
