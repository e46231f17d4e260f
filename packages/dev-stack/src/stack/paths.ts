import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type ManagedComponent = 'kafka' | 'schema-registry' | 'opensearch';

export interface StackPaths {
  repoRoot: string;
  /** Downloads and pristine unpacked distributions; shared by every checkout. */
  cacheDir: string;
  /** `<repo>/.vigil`: everything that belongs to this checkout's running stack. */
  stateDir: string;
  infraDir: string;
  /** Short id of this checkout, stamped on our JVM command lines to recognise our processes. */
  stackId: string;
  dataDir(component: ManagedComponent): string;
  logFile(component: ManagedComponent): string;
  pidFile(component: ManagedComponent): string;
  /** Per-checkout copies of installs that a non-root user must be able to read. */
  optDir(name: string): string;
}

/** Resolves the cache folder from the env values the CLI passes in (VIGIL_CACHE_DIR, then ~/.cache). */
export function defaultCacheDir(env: { VIGIL_CACHE_DIR?: string | undefined; HOME?: string | undefined } = {}): string {
  if (env.VIGIL_CACHE_DIR) return resolve(env.VIGIL_CACHE_DIR);
  return join(env.HOME ?? homedir(), '.cache', 'vigil');
}

export function createStackPaths(repoRoot: string, cacheDir?: string): StackPaths {
  const root = resolve(repoRoot);
  const stateDir = join(root, '.vigil');
  return {
    repoRoot: root,
    cacheDir: cacheDir ? resolve(cacheDir) : defaultCacheDir(),
    stateDir,
    infraDir: join(root, 'infra', 'local'),
    stackId: createHash('sha256').update(stateDir).digest('hex').slice(0, 12),
    dataDir: (component) => join(stateDir, 'data', component),
    logFile: (component) => join(stateDir, 'logs', `${component}.log`),
    pidFile: (component) => join(stateDir, 'run', `${component}.pid`),
    optDir: (name) => join(stateDir, 'opt', name),
  };
}
