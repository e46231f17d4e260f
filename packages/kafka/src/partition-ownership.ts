/** `topic:partition`, the key of every per-partition map of the runtime. */
export const partitionId = (topic: string, partition: number) => `${topic}:${partition}`;

export function parsePartitionId(id: string): { topic: string; partition: number } {
  const at = id.lastIndexOf(':');
  return { topic: id.slice(0, at), partition: Number(id.slice(at + 1)) };
}

/** After a rebalance: which of `ids` this member no longer owns. */
export function lostPartitions(ids: Iterable<string>, assignment: ReadonlyMap<string, readonly number[]>): string[] {
  return [...ids].filter((id) => {
    const { topic, partition } = parsePartitionId(id);
    return !assignment.get(topic)?.includes(partition);
  });
}
