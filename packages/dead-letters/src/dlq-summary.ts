import type { StoredDeadLetter } from './dlq-reader.ts';

export interface DlqSummary {
  readonly stage: string;
  readonly topic: string;
  readonly count: number;
  /** How many of them the replay ledger lists as replayed already. */
  readonly replayed: number;
  /** Dead letters per error code, most frequent first. */
  readonly codes: readonly { readonly code: string; readonly count: number }[];
  readonly oldest: string | null;
  readonly newest: string | null;
}

export function summarizeDeadLetters(stage: string, topic: string, letters: readonly StoredDeadLetter[], replayed: ReadonlySet<string>): DlqSummary {
  const codes = new Map<string, number>();
  for (const letter of letters) codes.set(letter.envelope.error.code, (codes.get(letter.envelope.error.code) ?? 0) + 1);
  const times = letters.map((l) => l.envelope.time).filter((t) => t.length > 0).sort();
  return {
    stage,
    topic,
    count: letters.length,
    replayed: letters.filter((l) => replayed.has(l.id)).length,
    codes: [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    oldest: times[0] ?? null,
    newest: times[times.length - 1] ?? null,
  };
}
