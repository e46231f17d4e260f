import { formatPosition, type DlqPosition } from './dlq-position.ts';
import type { StoredDeadLetter } from './dlq-reader.ts';

export interface DlqSelection {
  readonly all?: boolean;
  readonly code?: string | undefined;
  readonly positions?: readonly DlqPosition[] | undefined;
}

export interface SelectionResult {
  readonly selected: StoredDeadLetter[];
  /** Positions asked for that are not (or no longer) in the DLQ. */
  readonly missing: string[];
  /** Selected dead letters left out because an earlier one holds the same source record. */
  readonly duplicates: number;
  /**
   * Matching letters trimmed to their envelope (too large for the DLQ): they lack the
   * original value (and maybe headers), so replaying them would send a different record.
   */
  readonly notReplayable: StoredDeadLetter[];
}

/** A letter trimmed to its envelope cannot be replayed: its original bytes are gone. */
export const isReplayable = (letter: StoredDeadLetter): boolean => letter.envelope.trimmed === undefined;

const sourceOf = (letter: StoredDeadLetter) => `${letter.envelope.source.topic}:${letter.envelope.source.partition}:${letter.envelope.source.offset}`;

/**
 * Which dead letters a replay takes. A replay must be asked for explicitly: `all`, or a
 * code and/or positions (both given: the letters that match both). `all` with a filter
 * is refused as ambiguous rather than guessed at.
 *
 * One source record can be in the DLQ twice (a worker died between the DLQ write and
 * its commit, or two consumer groups of the stage met the same poison); it is replayed
 * once, from its earliest dead letter.
 */
export function selectDeadLetters(letters: readonly StoredDeadLetter[], selection: DlqSelection): SelectionResult {
  const filtered = selection.code !== undefined || selection.positions !== undefined;
  if (selection.all && filtered) throw new Error('--all cannot be combined with --code or --offsets');
  if (!selection.all && !filtered) throw new Error('say what to replay: --all, --code <CODE> or --offsets <p:o,...>');
  const wanted = selection.positions ? new Set(selection.positions.map(formatPosition)) : null;
  const matching = letters.filter((l) => (selection.code === undefined || l.envelope.error.code === selection.code) && (wanted === null || wanted.has(formatPosition(l.position))));
  const notReplayable = matching.filter((l) => !isReplayable(l));
  const sources = new Set<string>();
  // Trimmed letters are left out first, so a whole letter of the same source record is still chosen.
  const selected = matching.filter(isReplayable).filter((l) => {
    const source = sourceOf(l);
    if (sources.has(source)) return false;
    sources.add(source);
    return true;
  });
  const present = new Set(letters.map((l) => formatPosition(l.position)));
  const missing = wanted ? [...wanted].filter((p) => !present.has(p)) : [];
  return { selected, missing, duplicates: matching.length - notReplayable.length - selected.length, notReplayable };
}
