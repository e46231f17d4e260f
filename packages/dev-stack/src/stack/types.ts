import type { JavaRuntime } from './java-runtime.ts';
import type { StackPaths } from './paths.ts';

export type ComponentState = 'up' | 'down' | 'starting' | 'error';

export interface ComponentStatus {
  name: string;
  port: number;
  state: ComponentState;
  detail?: string;
  /** True when this checkout started the process (and `down` will stop it). */
  managed: boolean;
}

export interface StackOptions {
  repoRoot: string;
  /** Defaults to ~/.cache/vigil; the CLI passes $VIGIL_CACHE_DIR here. */
  cacheDir?: string;
  /** JDK used for all JVM components; defaults to whatever `java` is on PATH. */
  javaHome?: string;
  log: (line: string) => void;
}

export interface Stack {
  up(): Promise<ComponentStatus[]>;
  down(): Promise<void>;
  status(): Promise<ComponentStatus[]>;
}

/** Every piece of the stack looks the same to index.ts, whether we run it or not. */
export interface Component {
  name: string;
  port: number;
  up(): Promise<ComponentStatus>;
  status(): Promise<ComponentStatus>;
  down(): Promise<void>;
}

/** What each component factory needs from the stack. */
export interface ComponentContext {
  paths: StackPaths;
  log: (line: string) => void;
  /** Detected lazily and once, so a fully running stack never spawns `java` just to report status. */
  java: () => Promise<JavaRuntime>;
}
