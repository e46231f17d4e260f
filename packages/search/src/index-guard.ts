import { createIndexIfMissing, ensureIndexTemplates } from './templates.ts';
import { searchCall, type SearchClient } from './search-client.ts';

export interface IndexGuard {
  /** Make sure each index exists with Vigil's mapping before anything writes to it. */
  ensure(indices: Iterable<string>): Promise<void>;
}

/**
 * Daily alert indices are created on first write. If OpenSearch auto-created one
 * (because the cluster lost its templates, e.g. a wiped node), it would get dynamic
 * text mappings and tenant filters would stop matching. So before the first write to
 * an index, this process re-asserts the templates and creates the index explicitly.
 * One round trip per new index per process.
 */
export function createIndexGuard(client: SearchClient): IndexGuard {
  const known = new Set<string>();
  return {
    async ensure(indices) {
      const fresh = [...new Set(indices)].filter((name) => !known.has(name));
      if (fresh.length === 0) return;
      await searchCall(async () => {
        await ensureIndexTemplates(client);
        for (const index of fresh) {
          await createIndexIfMissing(client, index);
          known.add(index);
        }
      });
    },
  };
}
