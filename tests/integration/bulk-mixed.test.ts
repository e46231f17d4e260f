import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleAlert } from '@vigil/contracts/testing';
import { REFRESH_INTERVAL, alertIndexFor, bulkWrite, createSearchClient, ensureIndexTemplates, type BulkOp } from '@vigil/search';
import { privateDay } from '../support/private-day.ts';
import { stackEnv, uniqueTenant } from '../support/stack-env.ts';

// One bulk request with good and bad alerts against the real cluster and the project's
// strict template: exactly the bad items come back as permanent failures (the indexer
// dead-letters those), the good ones are indexed, and a redelivery indexes nothing twice.

const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
const tenant = uniqueTenant('bulk-mixed');
const day = privateDay();
const index = alertIndexFor(day);

afterAll(async () => {
  await search.close();
});

function merge(doc: Record<string, unknown>): BulkOp {
  return { kind: 'merge', index, id: String(doc['id']), doc, upsert: doc };
}

describe('mixed bulk against OpenSearch', () => {
  it('fails exactly the bad items permanently and indexes the rest once', async () => {
    await ensureIndexTemplates(search);
    const good = Array.from({ length: 6 }, (_, i) => ({ ...sampleAlert(), id: randomUUID(), tenant_id: tenant, event_time: day + i, raw: null }));
    const bad = [
      { ...good[0]!, id: randomUUID(), src_ip: 'not-an-ip' },
      { ...good[0]!, id: randomUUID(), unexpected_field: 'strict mapping refuses it' },
      { ...good[0]!, id: randomUUID(), dst_port: 'eighty' },
    ];
    const docs: Array<Record<string, unknown>> = [good[0]!, bad[0]!, good[1]!, good[2]!, bad[1]!, good[3]!, bad[2]!, good[4]!, good[5]!];
    const ops = docs.map(merge);
    const results = await bulkWrite(search, ops);
    const failed = docs.filter((_, i) => !results[i]!.ok).map((d) => d['id']);
    expect(failed).toEqual(bad.map((b) => b.id));
    for (const [i, r] of results.entries()) if (!r.ok) expect(r, String(docs[i]!['id'])).toMatchObject({ retriable: false, outage: false });

    // A redelivery of the whole slice (the stage retries after a crash) changes nothing.
    const again = await bulkWrite(search, ops);
    expect(again.map((r) => r.ok)).toEqual(results.map((r) => r.ok));
    await search.indices.refresh({ index });
    const count = await search.count({ index, body: { query: { term: { tenant_id: tenant } } } });
    expect((count.body as { count: number }).count).toBe(good.length);
    const found = await search.search({ index, body: { query: { term: { tenant_id: tenant } }, size: 20, _source: ['id'] } });
    const ids = (found.body as { hits: { hits: Array<{ _source: { id: string } }> } }).hits.hits.map((h) => h._source.id);
    expect(ids.sort()).toEqual(good.map((g) => g.id).sort());
  });

  it('keeps every alert index, one made before a change included, at the refresh interval', async () => {
    const older = `${index}-refresh-${randomUUID().slice(0, 8)}`;
    await search.indices.create({ index: older, body: { settings: { refresh_interval: '7s' } } });
    try {
      await ensureIndexTemplates(search);
      const settings = await search.indices.getSettings({ index: older, name: 'index.refresh_interval' });
      expect((settings.body as Record<string, { settings: { index: { refresh_interval: string } } }>)[older]!.settings.index.refresh_interval).toBe(REFRESH_INTERVAL);
    } finally {
      await search.indices.delete({ index: older });
    }
  });
});
