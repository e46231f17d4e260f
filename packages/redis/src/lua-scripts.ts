import { readFileSync } from 'node:fs';
import type { RedisClient } from './redis-client.ts';

const luaDir = new URL('./lua/', import.meta.url);

/**
 * Load a script from lua/ and register it on the client as a command; ioredis then
 * uses EVALSHA and falls back to EVAL after a Redis restart flushed the script cache.
 */
export function defineScript(client: RedisClient, name: string, file: string, numberOfKeys: number): void {
  if (typeof (client as unknown as Record<string, unknown>)[name] === 'function') return;
  client.defineCommand(name, { numberOfKeys, lua: readFileSync(new URL(file, luaDir), 'utf8') });
}

/** Call a script registered with defineScript. */
export function callScript<T>(client: RedisClient, name: string, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
  const fn = (client as unknown as Record<string, (...a: (string | number)[]) => Promise<T>>)[name];
  if (!fn) throw new Error(`script ${name} not defined`);
  return fn.call(client, ...keys, ...args);
}
