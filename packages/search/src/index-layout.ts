import { z } from 'zod';
import { ConfigError, fields } from '@vigil/config';

/** Shards and replicas of Vigil's indices: a deployment decision, made at provisioning. */
export interface IndexLayout {
  /** Primary shards of each new daily alert index and of the incident index when it is created. */
  readonly shards: number;
  /** Replicas of every Vigil index (a dynamic setting: existing indices follow it too). */
  readonly replicas: number;
}

/** One node: one shard, no replica (a replica could never be assigned, health would stay yellow). */
export const defaultIndexLayout: IndexLayout = Object.freeze({ shards: 1, replicas: 0 });

export const indexLayoutSchema = z
  .object({
    OPENSEARCH_SHARDS: fields.count(1, 1024, defaultIndexLayout.shards),
    OPENSEARCH_REPLICAS: fields.count(0, 15, defaultIndexLayout.replicas),
  })
  .transform((env): IndexLayout => Object.freeze({ shards: env.OPENSEARCH_SHARDS, replicas: env.OPENSEARCH_REPLICAS }));

/** Parse the index layout once, at start-up; throws with every problem. */
export function parseIndexLayout(env: Readonly<Record<string, string | undefined>>): IndexLayout {
  const result = indexLayoutSchema.safeParse(env);
  if (!result.success) throw new ConfigError('index layout', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return result.data;
}

/**
 * The layout a template already carries, so that a service re-asserting the templates (the
 * indexer at start and before each new daily index) keeps what provisioning set instead of
 * putting the one-node default back. Absent or unreadable: the default.
 */
export function layoutOfTemplate(settings: { readonly index?: { readonly number_of_shards?: string | number; readonly number_of_replicas?: string | number } } | undefined): IndexLayout {
  const shards = Number(settings?.index?.number_of_shards);
  const replicas = Number(settings?.index?.number_of_replicas);
  return Object.freeze({
    shards: Number.isInteger(shards) && shards >= 1 ? shards : defaultIndexLayout.shards,
    replicas: Number.isInteger(replicas) && replicas >= 0 ? replicas : defaultIndexLayout.replicas,
  });
}
