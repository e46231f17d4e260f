/**
 * Stuck partitions: how long the committed offset of a partition has not moved while
 * there was something to consume (lag > 0). A paused partition, a poison loop or a
 * dead consumer all look the same from here, which is the point: whatever the cause,
 * an operator sees which partition is not making progress, and since when.
 * Pure: positions and time come in as arguments.
 */
export interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  readonly committed: number;
  readonly lag: number;
}

export interface PartitionProgress extends PartitionPosition {
  /** Seconds since the committed offset last moved with lag > 0; 0 when caught up. */
  readonly stuckSeconds: number;
}

export interface StuckTracker {
  /** Record one sample of every owned partition; partitions not in it are forgotten. */
  observe(positions: readonly PartitionPosition[], now: number): PartitionProgress[];
}

export function createStuckTracker(): StuckTracker {
  const since = new Map<string, { committed: number; at: number }>();
  return {
    observe(positions, now) {
      const seen = new Set<string>();
      const out = positions.map((p) => {
        const id = `${p.topic}:${p.partition}`;
        seen.add(id);
        const previous = since.get(id);
        if (!previous || previous.committed !== p.committed || p.lag <= 0) since.set(id, { committed: p.committed, at: now });
        const at = since.get(id)!.at;
        return { ...p, stuckSeconds: p.lag > 0 ? (now - at) / 1000 : 0 };
      });
      for (const id of [...since.keys()]) if (!seen.has(id)) since.delete(id);
      return out;
    },
  };
}
