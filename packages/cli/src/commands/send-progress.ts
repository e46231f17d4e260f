export interface Progress {
  start(total: number): void;
  update(done: number, accepted: number, rejected: number): void;
  stop(): void;
}

interface Output {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 30;

export function progressLine(total: number, done: number, accepted: number, rejected: number, bar: boolean): string {
  const counts = `${done}/${total} records, ${accepted} accepted, ${rejected} rejected`;
  if (!bar) return counts;
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${counts}`;
}

/**
 * A bar redrawn in place on a terminal; a plain line per update otherwise, so logs and
 * CI output stay readable. Written to stderr, leaving stdout to the summary.
 */
export function createProgress(out: Output): Progress {
  const tty = out.isTTY === true;
  let total = 0;
  return {
    start(n) {
      total = n;
      if (tty) out.write(progressLine(total, 0, 0, 0, true));
    },
    update(done, accepted, rejected) {
      out.write(tty ? `\r${progressLine(total, done, accepted, rejected, true)}` : `${progressLine(total, done, accepted, rejected, false)}\n`);
    },
    stop() {
      if (tty) out.write('\n');
    },
  };
}
