import { withFileLock } from './file-lock.ts';
import { LOCAL_HOST } from './ports.ts';
import type { JavaRuntime } from './java-runtime.ts';
import type { ManagedComponent, StackPaths } from './paths.ts';
import { isTcpOpen, isWaitTimeout, waitUntil } from './probes.ts';
import {
  findOwnedPid,
  isPidAlive,
  readPidFile,
  removePidFile,
  rotateLogIfLarge,
  spawnDetached,
  stopProcess,
  tailFile,
} from './process-control.ts';
import type { Component, ComponentStatus } from './types.ts';

export interface LaunchSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface JvmComponentSpec {
  name: ManagedComponent;
  /** The client-facing port shown in status. */
  port: number;
  /** Further ports it binds (controller, transport) that must be free before starting. */
  extraPorts?: number[];
  readyTimeoutMs: number;
  stopGraceMs: number;
  paths: StackPaths;
  log: (line: string) => void;
  java: () => Promise<JavaRuntime>;
  /** Makes sure the distribution is downloaded; must be cheap when it already is. */
  install(): Promise<void>;
  /**
   * Writes configs and does one-time setup, then says how to launch. `marker`
   * (`vigil.component=<name>.<checkout id>`) must appear inside an argument of
   * the launched process, e.g. as `-D${marker}`, from its first exec onwards:
   * it is how we recognise our own process behind a pid file.
   */
  prepare(java: JavaRuntime, marker: string): Promise<LaunchSpec>;
  /** A short description when the service really answers requests, else undefined. */
  probe(): Promise<string | undefined>;
}

const LOG_TAIL_LINES = 20;
// Long enough for a cold download plus the slowest first start.
const LOCK_TIMEOUT_MS = 20 * 60_000;
const MAX_LOG_BYTES = 20 * 1024 * 1024;

/** Download → start detached → wait until it answers: the same for Kafka, Apicurio and OpenSearch. */
export function createJvmComponent(spec: JvmComponentSpec): Component {
  const { name, port, paths, log } = spec;
  const pidFile = paths.pidFile(name);
  const logFile = paths.logFile(name);
  const marker = `vigil.component=${name}.${paths.stackId}`;
  const lockFile = `${pidFile.replace(/\.pid$/, '')}.lock`;
  const status = (state: ComponentStatus['state'], managed: boolean, detail?: string): ComponentStatus => ({
    name,
    port,
    state,
    managed,
    ...(detail !== undefined ? { detail } : {}),
  });

  /** Our process (if any) and whether the service answers, looked at together. */
  async function observe(): Promise<{ pid: number | undefined; healthy: ComponentStatus | undefined }> {
    const [pid, detail] = await Promise.all([findOwnedPid(pidFile, marker), spec.probe()]);
    if (detail === undefined) return { pid, healthy: undefined };
    // Healthy but not ours: someone runs it by hand. Use it, but never stop it.
    const healthy = status('up', pid !== undefined, pid !== undefined ? `pid ${pid}; ${detail}` : `not started by vigil; ${detail}`);
    return { pid, healthy };
  }

  async function busyPort(): Promise<number | undefined> {
    for (const candidate of [port, ...(spec.extraPorts ?? [])]) {
      if (await isTcpOpen(LOCAL_HOST, candidate, 500)) return candidate;
    }
    return undefined;
  }

  function portTakenError(taken: number): Error {
    return new Error(
      `${name}: port ${taken} is already in use by a process that is not Vigil's ${name}; ` +
        `find it with: ss -ltnp 'sport = :${taken}'`,
    );
  }

  async function failureWithLog(summary: string): Promise<Error> {
    const tail = await tailFile(logFile, LOG_TAIL_LINES);
    return new Error(`${name}: ${summary}\n--- last ${LOG_TAIL_LINES} lines of ${logFile} ---\n${tail}`);
  }

  async function waitReady(pid: number, startedAt: number): Promise<ComponentStatus> {
    try {
      const detail = await waitUntil(
        async () => {
          // Checked first so a crash is reported at once instead of after the deadline.
          if (!(await isPidAlive(pid))) {
            await removePidFile(pidFile);
            throw await failureWithLog(`exited during startup (pid ${pid})`);
          }
          return spec.probe();
        },
        { timeoutMs: spec.readyTimeoutMs, intervalMs: 1000 },
      );
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
      log(`${name}: ready after ${seconds}s`);
      return status('up', true, `pid ${pid}; ${detail}`);
    } catch (error) {
      if (!isWaitTimeout(error)) throw error;
      // Left running on purpose: a slow first start may still finish, and `down` stops it.
      throw await failureWithLog(
        `not ready within ${spec.readyTimeoutMs / 1000}s (still running as pid ${pid}; \`vigil stack down\` stops it)`,
      );
    }
  }

  /** Runs under the lock, so it re-checks: whoever held the lock may have just started it. */
  async function startOrAwait(): Promise<ComponentStatus> {
    const { pid, healthy } = await observe();
    if (healthy) return healthy;
    if (pid !== undefined) {
      log(`${name}: already starting (pid ${pid}), waiting for it`);
      return waitReady(pid, Date.now());
    }
    const taken = await busyPort();
    if (taken !== undefined) throw portTakenError(taken);

    await spec.install();
    const java = await spec.java();
    const launch = await spec.prepare(java, marker);
    await rotateLogIfLarge(logFile, MAX_LOG_BYTES);
    const startedAt = Date.now();
    const newPid = await spawnDetached({ ...launch, logFile, pidFile });
    log(`${name}: started pid ${newPid}, waiting up to ${spec.readyTimeoutMs / 1000}s (log: ${logFile})`);
    return waitReady(newPid, startedAt);
  }

  return {
    name,
    port,

    async status() {
      const { pid, healthy } = await observe();
      if (healthy) return healthy;
      if (pid !== undefined) return status('starting', true, `pid ${pid}, not answering yet`);
      const taken = await busyPort();
      if (taken !== undefined) return status('error', false, `port ${taken} taken by another process (ss -ltnp 'sport = :${taken}')`);
      return status('down', false);
    },

    async up() {
      // Lock-free fast path: a healthy stack answers `up` without touching the disk.
      const { healthy } = await observe();
      if (healthy) return healthy;
      return withFileLock(lockFile, () => startOrAwait(), {
        timeoutMs: LOCK_TIMEOUT_MS,
        onWait: (holder) => log(`${name}: another \`vigil stack up\` (pid ${holder}) is starting it, waiting`),
      });
    },

    async down() {
      const pid = await findOwnedPid(pidFile, marker);
      if (pid === undefined) {
        if ((await readPidFile(pidFile)) !== undefined) log(`${name}: removing stale pid file`);
        await removePidFile(pidFile);
        return;
      }
      log(`${name}: stopping pid ${pid}`);
      const how = await stopProcess(pid, spec.stopGraceMs);
      if (how === 'killed') log(`${name}: did not exit within ${spec.stopGraceMs / 1000}s, killed`);
      await removePidFile(pidFile);
    },
  };
}
