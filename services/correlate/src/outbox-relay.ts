import { topicByName } from '@vigil/contracts';
import { VigilError } from '@vigil/errors';
import { classifyFailure, type OutgoingRecord, type RecordProducer } from '@vigil/kafka';
import type { Logger } from '@vigil/logging';
import { Counter, Gauge, type Registry } from '@vigil/metrics';
import { inTransaction, type Pool, type PoolClient } from '@vigil/postgres';
import { claimPending, countAttempt, markDead, markPublished, outboxStats, type OutboxRow, type OutboxStats } from '@vigil/incident-store';

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /**
   * Rows were just committed: relay now instead of at the end of the idle interval (the
   * interval still picks up rows other processes write, e.g. the query API's triage).
   */
  wake(): void;
  /** Unpublished rows and the age of the oldest, for /readyz and `vigil status`. */
  stats(): OutboxStats | null;
}

export interface OutboxRelayOptions {
  readonly metrics?: Registry;
  readonly intervalMs?: number;
  readonly batch?: number;
  /** Attempts of a row that fails for an unexpected reason before it is marked dead. */
  readonly maxAttempts?: number;
  readonly statsEveryMs?: number;
}

function outboxMetrics(registry: Registry | undefined) {
  const registers = registry ? [registry] : [];
  return {
    unpublished: new Gauge({ name: 'vigil_outbox_unpublished_rows', help: 'Outbox rows not yet published (dead rows excluded)', registers }),
    oldest: new Gauge({ name: 'vigil_outbox_oldest_unpublished_seconds', help: 'Age of the oldest unpublished outbox row', registers }),
    dead: new Gauge({ name: 'vigil_outbox_dead_rows', help: 'Outbox rows marked dead (see `vigil outbox list`)', registers }),
    deadened: new Counter({ name: 'vigil_outbox_dead_lettered_total', help: 'Outbox rows marked dead by this relay', labelNames: ['code'], registers }),
  };
}

function recordOf(row: OutboxRow): OutgoingRecord {
  const topic = topicByName(row.topic);
  if (!topic) throw new VigilError('RECORD_REJECTED', `outbox row ${row.id} names unknown topic ${row.topic}`);
  return { topic, key: row.message_key, value: row.payload };
}

/**
 * Publishes outbox rows in id order and marks them published in the same transaction
 * that locked them. A crash between the Kafka ack and the commit publishes a row
 * twice; consumers are idempotent (incidents are versioned by revision), so that is
 * harmless, while a lost row is impossible.
 *
 * A row that cannot be published must not hold back every row behind it (all tenants
 * share one outbox): if a batch fails for a reason other than an outage, its rows are
 * sent one by one; a poison row (schema refusal, too large, unknown topic) is marked
 * dead with its reason at once, an unexpected failure after `maxAttempts` rounds. An
 * outage (Kafka, registry) leaves everything in place and is retried.
 */
export function createOutboxRelay(pool: Pool, producer: RecordProducer, logger: Logger, options: OutboxRelayOptions = {}): OutboxRelay {
  const { intervalMs = 200, batch = 200, maxAttempts = 5, statsEveryMs = 5_000 } = options;
  const metrics = outboxMetrics(options.metrics);
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let latest: OutboxStats | null = null;
  let statsAt = 0;
  /** Set by wake(): resolves the idle wait, or (woken mid-round) skips the next one. */
  let woken = false;
  let endWait: (() => void) | null = null;

  /** Publish the rows one at a time; returns the ids published. Stops at an outage or a row to retry. */
  async function oneByOne(client: PoolClient, rows: readonly OutboxRow[]): Promise<string[]> {
    const published: string[] = [];
    for (const row of rows) {
      try {
        await producer.send([recordOf(row)]);
        published.push(row.id);
        continue;
      } catch (err) {
        const failure = classifyFailure(err);
        if (failure.class === 'outage') break;
        if (failure.class === 'bug' && row.attempts + 1 < maxAttempts) {
          await countAttempt(client, row.id);
          logger.warn({ err, outboxId: row.id, attempt: row.attempts + 1 }, 'outbox row failed; retried on the next round');
          break;
        }
        await markDead(client, row.id, failure.code, failure.message);
        metrics.deadened.labels(failure.code).inc();
        logger.error({ outboxId: row.id, topic: row.topic, code: failure.code, reason: failure.message }, 'outbox row cannot be published; marked dead (vigil outbox list / retry)');
      }
    }
    return published;
  }

  async function relayOnce(): Promise<number> {
    return inTransaction(pool, async (client) => {
      const rows = await claimPending(client, batch);
      if (rows.length === 0) return 0;
      try {
        await producer.send(rows.map(recordOf));
        await markPublished(client, rows.map((r) => r.id));
        return rows.length;
      } catch (err) {
        if (classifyFailure(err).class === 'outage') throw err;
        await markPublished(client, await oneByOne(client, rows));
        return 0;
      }
    });
  }

  async function refreshStats(): Promise<void> {
    if (Date.now() - statsAt < statsEveryMs) return;
    statsAt = Date.now();
    latest = await outboxStats(pool);
    metrics.unpublished.set(latest.unpublished);
    metrics.oldest.set(latest.oldestSeconds);
    metrics.dead.set(latest.dead);
  }

  async function run(): Promise<void> {
    while (running) {
      let published = 0;
      try {
        published = await relayOnce();
        await refreshStats();
      } catch (err) {
        logger.warn({ err }, 'outbox relay failed; retrying');
      }
      if (published < batch && !woken) await idle();
      woken = false;
    }
  }

  function idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, intervalMs);
      function done() {
        clearTimeout(timer);
        endWait = null;
        resolve();
      }
      endWait = done;
    });
  }

  return {
    start() {
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      endWait?.();
      await loop;
    },
    wake() {
      woken = true;
      endWait?.();
    },
    stats: () => latest,
  };
}
