import { describe, expect, it } from 'vitest';
import { defaultIndexLayout, layoutOfTemplate, parseIndexLayout } from './index-layout.ts';

describe('index layout', () => {
  it('defaults to one shard and no replica (one node), also for empty variables', () => {
    expect(parseIndexLayout({})).toEqual(defaultIndexLayout);
    expect(parseIndexLayout({ OPENSEARCH_SHARDS: '', OPENSEARCH_REPLICAS: '' })).toEqual({ shards: 1, replicas: 0 });
  });

  it('takes shards and replicas from the environment', () => {
    expect(parseIndexLayout({ OPENSEARCH_SHARDS: '6', OPENSEARCH_REPLICAS: '1' })).toEqual({ shards: 6, replicas: 1 });
  });

  it('refuses what OpenSearch would refuse, naming each variable', () => {
    expect(() => parseIndexLayout({ OPENSEARCH_SHARDS: '0', OPENSEARCH_REPLICAS: '-1' })).toThrow(/OPENSEARCH_SHARDS[\s\S]*OPENSEARCH_REPLICAS/);
    expect(() => parseIndexLayout({ OPENSEARCH_SHARDS: 'two' })).toThrow(/OPENSEARCH_SHARDS/);
  });

  it('reads the layout a template carries (OpenSearch answers with strings), the default without one', () => {
    expect(layoutOfTemplate({ index: { number_of_shards: '3', number_of_replicas: '2' } })).toEqual({ shards: 3, replicas: 2 });
    expect(layoutOfTemplate(undefined)).toEqual(defaultIndexLayout);
    expect(layoutOfTemplate({ index: { number_of_shards: 'x' } })).toEqual(defaultIndexLayout);
  });
});
