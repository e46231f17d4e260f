import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isCommandMissing, runCommand } from './run-command.ts';

export interface CachedInstall {
  /** Where the finished install lives, e.g. <cache>/kafka-3.9.1. */
  dir: string;
  /** A file (relative to dir) whose presence proves the install is complete. */
  sentinel: string;
  /** Fills an empty staging folder; only called when the sentinel is missing. */
  populate(stagingDir: string): Promise<void>;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the install in a staging folder and renames it into place, so an
 * interrupted download never leaves a half-populated folder that looks done,
 * and the fast path of a warm cache is one `access` call.
 */
export async function ensureCached(install: CachedInstall): Promise<boolean> {
  const sentinel = join(install.dir, install.sentinel);
  if (await exists(sentinel)) return false;
  await mkdir(dirname(install.dir), { recursive: true });
  const staging = `${install.dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await install.populate(staging);
    if (!(await exists(join(staging, install.sentinel)))) {
      throw new Error(`download finished but ${install.sentinel} is missing from it`);
    }
    // A leftover incomplete folder (no sentinel) from an older, non-atomic attempt.
    await rm(install.dir, { recursive: true, force: true });
    await rename(staging, install.dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another `up` running concurrently may have won the race; that is fine.
    if (await exists(sentinel)) return false;
    throw error;
  }
  return true;
}

/** Unpacks a .zip / .tar.gz into dir using the system tools (no npm dependency for archives). */
export async function unpackArchive(archive: string, dir: string): Promise<void> {
  const isZip = archive.endsWith('.zip');
  const [command, args] = isZip ? ['unzip', ['-q', '-o', archive, '-d', dir]] : ['tar', ['-xzf', archive, '-C', dir]];
  let result;
  try {
    result = await runCommand(command, args);
  } catch (error) {
    if (isCommandMissing(error)) throw new Error(`${command} not found: install it (Debian: apt-get install ${command})`);
    throw error;
  }
  if (result.code !== 0) throw new Error(`${command} failed on ${archive}:\n${result.stderr.slice(-2000)}`);
}

/** The only file in dir with the given suffix (what `dependency:copy` just downloaded). */
export async function singleFile(dir: string, suffix: string): Promise<string> {
  const matches = (await readdir(dir)).filter((name) => name.endsWith(suffix));
  if (matches.length !== 1 || matches[0] === undefined) {
    throw new Error(`expected exactly one *${suffix} in ${dir}, found ${matches.length}`);
  }
  return join(dir, matches[0]);
}
