import { createHash } from 'node:crypto';

/**
 * A dead letter is addressed by where it sits in its stage's DLQ topic: `partition:offset`
 * on the command line. The replay ledger and job ids need more than that (see
 * `deadLetterId`).
 */
export interface DlqPosition {
  readonly partition: number;
  readonly offset: string;
}

const POSITION = /^(\d+):(\d+)$/;

export function parsePosition(text: string): DlqPosition {
  const match = POSITION.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a DLQ position; expected <partition>:<offset>, e.g. 0:42`);
  return { partition: Number(match[1]), offset: BigInt(match[2]!).toString() };
}

/** `0:1,0:7` → positions, duplicates removed, in log order. */
export function parsePositions(list: string): DlqPosition[] {
  const unique = new Map<string, DlqPosition>();
  for (const part of list.split(',').filter((p) => p.trim().length > 0)) {
    const position = parsePosition(part);
    unique.set(formatPosition(position), position);
  }
  if (unique.size === 0) throw new Error('no DLQ positions given');
  return [...unique.values()].sort(comparePositions);
}

export function formatPosition(position: DlqPosition): string {
  return `${position.partition}:${position.offset}`;
}

export function comparePositions(a: DlqPosition, b: DlqPosition): number {
  return a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset));
}

/**
 * The ledger's name for a dead letter: `indexer:0:42:<fingerprint>`. A position alone is
 * not an identity: when the DLQ topic is recreated (a new cluster, a wiped dev stack)
 * while Redis keeps its ledger, offsets start at 0 again and a bare `indexer:0:42` would
 * mark a new dead letter as replayed already, so it would silently never be replayed.
 * The fingerprint is of what the letter is about (source record and time of failure),
 * which a recreated topic does not repeat.
 */
export function deadLetterId(stage: string, position: DlqPosition, identity: DeadLetterIdentity): string {
  const fingerprint = createHash('sha256')
    .update([identity.source.topic, identity.source.partition, identity.source.offset, identity.time].join('\n'))
    .digest('hex')
    .slice(0, 16);
  return `${stage}:${formatPosition(position)}:${fingerprint}`;
}

export interface DeadLetterIdentity {
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
  readonly time: string;
}
