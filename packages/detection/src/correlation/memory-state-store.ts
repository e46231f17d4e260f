import type { CorrelationNode } from './correlation-node.ts';
import type { GroupStateStore } from './engine.ts';
import type { GroupState } from './window-state.ts';

/** Group states in memory: simulation and tests run the engine on this. */
export function createMemoryStateStore(): GroupStateStore & { readonly size: number; entries(): Array<[string, GroupState]> } {
  const states = new Map<string, GroupState>();
  const keyOf = (node: CorrelationNode, groupKey: string) => `${node.stateKey}\u0000${groupKey}`;
  return {
    load: async (node, groupKey) => states.get(keyOf(node, groupKey)) ?? null,
    save: async (node, groupKey, state) => {
      states.set(keyOf(node, groupKey), state);
    },
    get size() {
      return states.size;
    },
    entries: () => [...states.entries()],
  };
}
