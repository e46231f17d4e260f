import { afterAll, describe, expect, it } from 'vitest';
import { createSearchClient, deleteExpiredAlertIndices } from '@vigil/search';
import { stackEnv } from '../support/stack-env.ts';

// Retention deletes whole daily alert indices past the cut-off and nothing else. The
// days are before 1995, where no test's private day (tests/support/private-day.ts) falls.

const search = createSearchClient(stackEnv['OPENSEARCH_URL']!);
const now = Date.UTC(1990, 0, 3, 12);

afterAll(async () => {
  await search.indices.delete({ index: 'vigil-alerts-1990.01.03', ignore_unavailable: true });
  await search.close();
});

describe('alert index retention against OpenSearch', () => {
  it('deletes the expired daily indices only', async () => {
    for (const index of ['vigil-alerts-1980.01.01', 'vigil-alerts-1990.01.01', 'vigil-alerts-1990.01.03']) {
      if (!(await search.indices.exists({ index })).body) await search.indices.create({ index });
    }
    const deleted = await deleteExpiredAlertIndices(search, 1, now);
    expect(deleted).toEqual(['vigil-alerts-1980.01.01', 'vigil-alerts-1990.01.01']);
    const left = await search.cat.indices({ index: 'vigil-alerts-19*', format: 'json', h: 'index' });
    const names = (left.body as unknown as Array<{ index: string }>).map((r) => r.index);
    expect(names).toContain('vigil-alerts-1990.01.03');
    expect(names).not.toContain('vigil-alerts-1980.01.01');
    expect(await deleteExpiredAlertIndices(search, 1, now)).toEqual([]);
  });
});
