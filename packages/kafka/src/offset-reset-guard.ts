/**
 * kafkajs handles OFFSET_OUT_OF_RANGE by logging this line and then committing the
 * group's default offset (earliest or latest) for the partition: a silent reset that
 * skips or replays data. There is no option to turn that off, and the log call is the
 * only synchronous point before the commit, so the guard recognises the line there.
 * (KAFKAJS_LOG_LEVEL=NOTHING in the environment would silence the line and the guard.)
 */
const RESET_LINE = 'Offset out of range, resetting to default offset';

export interface OffsetOutOfRange {
  readonly topic: string;
  readonly partition: number;
}

/** The partition kafkajs is about to reset, if this log entry announces a reset. */
export function offsetResetOf(message: string, extra: Readonly<Record<string, unknown>>): OffsetOutOfRange | null {
  if (message !== RESET_LINE) return null;
  return { topic: String(extra['topic']), partition: Number(extra['partition']) };
}

/**
 * Thrown from the log call to abort the reset before kafkajs commits it. `retriable:
 * false` makes kafkajs crash the consumer instead of restarting it, which is the point:
 * the stage stops for an operator with the committed offset untouched.
 */
export class OffsetResetRefused extends Error {
  readonly retriable = false;
  constructor(readonly detail: OffsetOutOfRange) {
    super(`offset out of range on ${detail.topic}[${detail.partition}]; refusing kafkajs' automatic reset`);
    this.name = 'OffsetResetRefused';
  }
}
