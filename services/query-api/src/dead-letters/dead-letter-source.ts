import { stages, type StageSpec } from '@vigil/contracts';
import { attributeDeadLetters, readDeadLetterWindow, type AttributedDeadLetter, type DlqReadBounds } from '@vigil/dead-letters';
import { dependencyUnavailable, isVigilError } from '@vigil/errors';
import type { Codec, Kafka } from '@vigil/kafka';

export interface StageLetters {
  readonly stage: StageSpec;
  /** In log order, each with the tenant it belongs to (null: operator-only). */
  readonly letters: readonly AttributedDeadLetter[];
  /** False when older letters or bytes past the cap were left out. */
  readonly complete: boolean;
}

/** Every stage's newest dead letters, attributed; one read shared by all callers for `cacheMs`. */
export interface DeadLetterSource {
  read(): Promise<readonly StageLetters[]>;
}

export interface DeadLetterSourceOptions {
  readonly kafka: Kafka;
  readonly codec: Pick<Codec, 'decode'>;
  readonly bounds: DlqReadBounds;
  readonly cacheMs: number;
  readonly now?: () => number;
}

export function createDeadLetterSource(options: DeadLetterSourceOptions): DeadLetterSource {
  const now = options.now ?? Date.now;
  let cached: { readonly at: number; readonly value: readonly StageLetters[] } | null = null;
  let inFlight: Promise<readonly StageLetters[]> | null = null;

  async function readAll(): Promise<readonly StageLetters[]> {
    const out: StageLetters[] = [];
    // One stage after the other: each read is a consumer of its own, and this is an admin view.
    for (const stage of Object.values(stages)) {
      const window = await readDeadLetterWindow(options.kafka, stage, options.bounds).catch((err: unknown) => {
        throw isVigilError(err) ? err : dependencyUnavailable('kafka', err);
      });
      out.push({ stage, letters: await attributeDeadLetters(window.letters, (bytes) => options.codec.decode(bytes)), complete: window.complete });
    }
    return out;
  }

  return {
    read() {
      if (cached && now() - cached.at < options.cacheMs) return Promise.resolve(cached.value);
      // Concurrent requests share the read in flight: request volume never multiplies Kafka reads.
      inFlight ??= readAll()
        .then((value) => {
          cached = { at: now(), value };
          return value;
        })
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
  };
}
