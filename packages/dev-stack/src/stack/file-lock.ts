import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPidAlive } from './process-control.ts';

// Two `up`s at once (a developer's terminal and the test global-setup) must not
// both start a broker: the loser would overwrite the winner's pid file and leave
// an orphan that `down` no longer knows about.

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.write(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

async function holder(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Runs fn while holding an exclusive lock file; a lock left by a dead process is taken over. */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: { timeoutMs: number; onWait?: (holderPid: number) => void },
): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + options.timeoutMs;
  let announced = false;
  let unreadableSince: number | undefined;
  while (!(await tryAcquire(path))) {
    const pid = await holder(path);
    if (pid !== undefined && !(await isPidAlive(pid))) {
      // Left by a CLI that crashed. Two waiters could both remove it in the same
      // instant; that needs a crash plus a three-way race, which we accept.
      await rm(path, { force: true });
      continue;
    }
    if (pid === undefined) {
      // Being written this very moment, or truncated by a crash mid-write.
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 2000) await rm(path, { force: true });
    } else {
      unreadableSince = undefined;
      if (!announced) options.onWait?.(pid);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${path} (held by pid ${pid ?? '?'})`);
    await sleep(pid === undefined ? 50 : 500);
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
