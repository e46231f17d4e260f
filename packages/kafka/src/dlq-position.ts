/**
 * A dead letter is addressed by where it sits in its stage's DLQ topic: `partition:offset`
 * on the command line, `stage:partition:offset` in the replay ledger and job ids.
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

/** The ledger's name for a dead letter: `indexer:0:42`. */
export function deadLetterId(stage: string, position: DlqPosition): string {
  return `${stage}:${formatPosition(position)}`;
}
