import { detectJava } from './java-runtime.ts';
import type { JavaRuntime } from './java-runtime.ts';
import { createKafka } from './kafka.ts';
import { createOpenSearch } from './opensearch.ts';
import { createStackPaths } from './paths.ts';
import { createSchemaRegistry } from './schema-registry.ts';
import { createPostgres, createRedis } from './system-services.ts';
import type { Component, ComponentContext, ComponentStatus, Stack, StackOptions } from './types.ts';

export { formatStatus } from './status-format.ts';
export { defaultCacheDir } from './paths.ts';
export * from './ports.ts';
export type { ComponentState, ComponentStatus, Stack, StackOptions } from './types.ts';

/** `up` rejects with this when any component failed; `statuses` still covers every component. */
export interface StackUpError extends Error {
  statuses: ComponentStatus[];
}

export function isStackUpError(error: unknown): error is StackUpError {
  return error instanceof Error && Array.isArray((error as Partial<StackUpError>).statuses);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export function createStack(options: StackOptions): Stack {
  const paths = createStackPaths(options.repoRoot, options.cacheDir);
  let javaRuntime: Promise<JavaRuntime> | undefined;
  const context: ComponentContext = {
    paths,
    log: options.log,
    java: () => (javaRuntime ??= detectJava(options.javaHome)),
  };
  const postgres = createPostgres(options.log);
  const redis = createRedis(options.log);
  const kafka = createKafka(context);
  const schemaRegistry = createSchemaRegistry(context);
  const isRoot = process.getuid?.() === 0;
  const opensearch = createOpenSearch(context, isRoot);
  const all: Component[] = [postgres, redis, kafka, schemaRegistry, opensearch];
  const managed: Component[] = [kafka, schemaRegistry, opensearch];

  return {
    async up() {
      const postgresUp = postgres.up();
      const started = new Map<Component, Promise<ComponentStatus>>([
        [postgres, postgresUp],
        [redis, redis.up()],
        [kafka, kafka.up()],
        // Only Apicurio needs PostgreSQL; the others start meanwhile.
        [schemaRegistry, postgresUp.then(() => schemaRegistry.up())],
        [opensearch, opensearch.up()],
      ]);
      const settled = await Promise.allSettled(all.map((component) => started.get(component)));
      const failures: string[] = [];
      const statuses = settled.map((result, index): ComponentStatus => {
        const component = all[index] as Component;
        if (result.status === 'fulfilled' && result.value) return result.value;
        const message = result.status === 'rejected' ? String((result.reason as Error)?.message ?? result.reason) : 'no result';
        failures.push(message);
        return { name: component.name, port: component.port, state: 'error', detail: firstLine(message), managed: false };
      });
      if (failures.length > 0) {
        throw Object.assign(new Error(`vigil stack up: ${failures.length} component(s) failed\n\n${failures.join('\n\n')}`), { statuses });
      }
      return statuses;
    },

    async down() {
      await Promise.all(managed.map((component) => component.down()));
    },

    status() {
      return Promise.all(all.map((component) => component.status()));
    },
  };
}
