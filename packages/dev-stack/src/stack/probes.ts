import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when something accepts TCP connections on host:port (says nothing about what it is). */
export function isTcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A GET with a hard timeout; undefined when nothing answered in time (refused, reset, slow). */
export async function httpGet(url: string, timeoutMs = 2000): Promise<HttpAnswer | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    // Reading the body also releases the keep-alive socket, which could otherwise hold the CLI open.
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Injected by tests; real callers use the wall clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

export interface WaitTimeout extends Error {
  timedOut: true;
}

export function isWaitTimeout(error: unknown): error is WaitTimeout {
  return error instanceof Error && (error as Partial<WaitTimeout>).timedOut === true;
}

/**
 * Polls `check` until it yields a value. `undefined` means "not yet"; a throw
 * means "give up now" (e.g. the process died), so callers do not sit out the
 * whole deadline on a failure that cannot heal. The last attempt starts no later
 * than the deadline, so a slow check cannot stretch the wait much past it.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const interval = options.intervalMs ?? 500;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const remaining = deadline - now();
    if (remaining <= 0) {
      return Promise.reject(Object.assign(new Error(`not ready after ${Math.round(options.timeoutMs / 1000)}s`), { timedOut: true as const }));
    }
    await pause(Math.min(interval, remaining));
  }
}
