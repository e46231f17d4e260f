import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DetachedSpec {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  pidFile: string;
}

/**
 * Starts a long-running server that must outlive the CLI: own session (so a
 * Ctrl-C in the terminal does not reach it), output appended to its log file,
 * and no handle keeping our event loop alive.
 */
export async function spawnDetached(spec: DetachedSpec): Promise<number> {
  await mkdir(dirname(spec.logFile), { recursive: true });
  await mkdir(dirname(spec.pidFile), { recursive: true });
  const log = await open(spec.logFile, 'a');
  try {
    await log.write(`\n===== ${new Date().toISOString()} vigil stack: ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
    await new Promise<void>((resolvePromise, reject) => {
      child.once('spawn', resolvePromise);
      child.once('error', reject);
    });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${spec.command} did not start`);
    await writeFile(spec.pidFile, `${pid}\n`);
    return pid;
  } finally {
    // The child holds its own copy of the descriptor.
    await log.close();
  }
}

export async function readPidFile(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function removePidFile(pidFile: string): Promise<void> {
  await rm(pidFile, { force: true });
}

export async function isPidAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // kill(0) succeeds on zombies; a zombie is as good as dead to us.
  try {
    const statLine = await readFile(`/proc/${pid}/stat`, 'utf8');
    return parseProcState(statLine) !== 'Z';
  } catch {
    return true;
  }
}

/** The state letter follows the parenthesised command name, which may itself contain spaces or parens. */
export function parseProcState(statLine: string): string | undefined {
  const close = statLine.lastIndexOf(')');
  return close < 0 ? undefined : statLine.slice(close + 2, close + 3) || undefined;
}

async function commandLine(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return [];
  }
}

/**
 * The pid from our pid file, but only if that process is alive and still carries
 * our marker argument: after a reboot the number may belong to anything.
 */
export async function findOwnedPid(pidFile: string, marker: string): Promise<number | undefined> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined || !(await isPidAlive(pid))) return undefined;
  const args = await commandLine(pid);
  return args.some((arg) => arg.includes(marker)) ? pid : undefined;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Detached children lead their own process group; signal helpers too.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** SIGTERM (servers flush and deregister on it), then SIGKILL if it takes longer than graceMs. */
export async function stopProcess(pid: number, graceMs: number): Promise<'exited' | 'killed'> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await isPidAlive(pid))) return 'exited';
    await sleep(200);
  }
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 50 && (await isPidAlive(pid)); i++) await sleep(100);
  return 'killed';
}

export async function tailFile(path: string, lines: number): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${path})`;
  }
}

/** Keeps one previous generation so a log cannot grow without bound across restarts. */
export async function rotateLogIfLarge(path: string, maxBytes: number): Promise<void> {
  try {
    if ((await stat(path)).size > maxBytes) await rename(path, `${path}.1`);
  } catch {
    // No log yet.
  }
}
