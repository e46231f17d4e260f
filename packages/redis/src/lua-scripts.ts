import { readFileSync } from 'node:fs';
import type { RedisClient } from './redis-client.ts';

const luaDir = new URL('./lua/', import.meta.url);

/** A Lua script as its owner ships it: the feature that decides with it keeps the file. */
export interface ScriptSpec {
  /** The command name it is registered under on the client. */
  readonly name: string;
  readonly lua: string;
  readonly numberOfKeys: number;
}

/**
 * Register a script on the client as a command; ioredis then uses EVALSHA and falls back
 * to EVAL after a Redis restart flushed the script cache. Lets a feature outside this
 * package (dedup) own its script while only this package imports ioredis.
 */
export function registerScript(client: RedisClient, spec: ScriptSpec): void {
  if (typeof (client as unknown as Record<string, unknown>)[spec.name] === 'function') return;
  client.defineCommand(spec.name, { numberOfKeys: spec.numberOfKeys, lua: spec.lua });
}

/** Load one of this package's own scripts from lua/ and register it (see registerScript). */
export function defineScript(client: RedisClient, name: string, file: string, numberOfKeys: number): void {
  registerScript(client, { name, numberOfKeys, lua: readFileSync(new URL(file, luaDir), 'utf8') });
}

/** Call a registered script. */
export function callScript<T>(client: RedisClient, name: string, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
  const fn = (client as unknown as Record<string, (...a: (string | number)[]) => Promise<T>>)[name];
  if (!fn) throw new Error(`script ${name} not defined`);
  return fn.call(client, ...keys, ...args);
}

/** The reply, or the error, of one call of a pipelined script. */
export type ScriptReply = readonly [error: Error | null, reply: unknown];

/**
 * Many calls of a registered script in one round trip, executed by Redis strictly in the
 * given order. A pipeline keeps the calls in order on one connection, and ioredis makes
 * sure the script is loaded (SCRIPT EXISTS / LOAD) before sending the EVALSHAs, so a
 * flushed script cache cannot let a fallback EVAL overtake an earlier call.
 */
export async function callScriptPipelined(client: RedisClient, name: string, calls: readonly (readonly (string | number)[])[]): Promise<ScriptReply[]> {
  const pipeline = client.pipeline();
  const queue = pipeline as unknown as Record<string, (...args: (string | number)[]) => unknown>;
  if (!queue[name]) throw new Error(`script ${name} not defined`);
  for (const args of calls) queue[name].call(pipeline, ...args);
  const replies = (await pipeline.exec()) ?? [];
  return calls.map((_, i): ScriptReply => replies[i] ?? [new Error('no reply'), null]);
}
