import { topicByName } from '@vigil/contracts';
import type { RecordProducer } from '@vigil/kafka';
import type { Logger } from '@vigil/logging';
import { inTransaction, type Pool } from '@vigil/postgres';
import { claimOutbox, markPublished } from './incident-store.ts';

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Publishes outbox rows in id order and marks them published in the same transaction
 * that locked them. A crash between the Kafka ack and the commit publishes a row
 * twice; consumers are idempotent (incidents are versioned by revision), so that is
 * harmless, while a lost row is impossible.
 */
export function createOutboxRelay(pool: Pool, producer: RecordProducer, logger: Logger, intervalMs = 200, batch = 200): OutboxRelay {
  let running = false;
  let loop: Promise<void> = Promise.resolve();

  async function relayOnce(): Promise<number> {
    return inTransaction(pool, async (client) => {
      const rows = await claimOutbox(client, batch);
      if (rows.length === 0) return 0;
      await producer.send(
        rows.map((row) => {
          const topic = topicByName(row.topic);
          if (!topic) throw new Error(`outbox row ${row.id} names unknown topic ${row.topic}`);
          return { topic, key: row.message_key, value: row.payload };
        }),
      );
      await markPublished(client, rows.map((r) => r.id));
      return rows.length;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      let published = 0;
      try {
        published = await relayOnce();
      } catch (err) {
        logger.warn({ err }, 'outbox relay failed; retrying');
      }
      if (published < batch) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  return {
    start() {
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
