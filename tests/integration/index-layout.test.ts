import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERT_INDEX_PREFIX, createSearchClient, defaultIndexLayout, ensureIndexTemplates } from '@vigil/search';
import { stackEnv } from '../support/stack-env.ts';

const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
afterAll(() => search.close());

async function templateShards(): Promise<string> {
  const res = await search.indices.getIndexTemplate({ name: 'vigil-alerts' });
  const body = res.body as { index_templates: Array<{ index_template: { template: { settings: { index: { number_of_shards: string } } } } }> };
  return body.index_templates[0]!.index_template.template.settings.index.number_of_shards;
}

describe('index layout on the real OpenSearch', () => {
  it('provisioning sets the shards of new alert indices, and a service re-asserting the templates keeps them', async () => {
    // Replicas stay 0: on this one-node cluster a replica is never assigned (health yellow).
    const scratch = `${ALERT_INDEX_PREFIX}layout-${randomBytes(3).toString('hex')}`;
    try {
      await ensureIndexTemplates(search, { shards: 2, replicas: 0 });
      expect(await templateShards()).toBe('2');
      // What the indexer does at start and before each new daily index: no layout given.
      await ensureIndexTemplates(search);
      expect(await templateShards()).toBe('2');
      await search.indices.create({ index: scratch });
      const settings = await search.indices.getSettings({ index: scratch });
      expect((settings.body as Record<string, { settings: { index: { number_of_shards: string } } }>)[scratch]!.settings.index.number_of_shards).toBe('2');
    } finally {
      await ensureIndexTemplates(search, defaultIndexLayout);
      await search.indices.delete({ index: scratch, ignore_unavailable: true });
    }
  });
});
