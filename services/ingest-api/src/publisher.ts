import { recordKey, topics, type Alert } from '@vigil/contracts';
import { VigilError } from '@vigil/errors';
import type { RecordProducer } from '@vigil/kafka';

export interface PublisherSettings {
  /** Records queued or being sent; past this the gateway sheds load with 503. */
  readonly maxInFlight: number;
  /** Records per Kafka request. */
  readonly maxBatch: number;
  /** How long a record may wait for companions before its batch is sent. */
  readonly lingerMs: number;
  /** After a failed send, fail fast for this long instead of queueing behind a dead broker. */
  readonly failFastMs: number;
  readonly sendTimeoutMs: number;
}

export interface Publisher {
  /** Resolves once Kafka acknowledged every record with acks=all. */
  publish(alerts: readonly Alert[]): Promise<void>;
  healthy(): boolean;
  inFlight(): number;
}

interface Pending {
  readonly alerts: readonly Alert[];
  resolve(): void;
  reject(err: unknown): void;
}

export const alertKey = (alert: Pick<Alert, 'tenant_id' | 'rule_id'>) => recordKey(alert.tenant_id, alert.rule_id);

/**
 * Groups concurrent requests into one produce call (a few ms of linger buys far
 * fewer round trips) while keeping the guarantee per request: its promise settles
 * only with the ack of the batch that carried its records.
 */
export function createPublisher(producer: RecordProducer, settings: PublisherSettings, clock: () => number = Date.now): Publisher {
  let queue: Pending[] = [];
  let queued = 0;
  let sending = 0;
  let timer: NodeJS.Timeout | null = null;
  let failedAt = -Infinity;

  const overloaded = () => new VigilError('OVERLOADED', 'the pipeline is busy or Kafka is unavailable; retry after the Retry-After delay', { retryAfterSeconds: 1 });

  async function flush(): Promise<void> {
    timer = null;
    const batch = queue;
    const count = queued;
    queue = [];
    queued = 0;
    if (batch.length === 0) return;
    sending += count;
    const records = batch.flatMap((p) => p.alerts.map((alert) => ({ topic: topics.alertsRaw, key: alertKey(alert), value: alert })));
    // The records count as in flight until the send itself settles, even when the
    // clients were already answered 503 on the timeout: otherwise a slow Kafka would
    // let the gateway pile up unbounded sends exactly when it should shed load.
    const send = producer.send(records).finally(() => {
      sending -= count;
    });
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        send,
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => reject(new VigilError('REQUEST_TIMEOUT', 'Kafka did not acknowledge in time; retry with the same Idempotency-Key')), settings.sendTimeoutMs);
        }),
      ]);
      failedAt = -Infinity;
      for (const p of batch) p.resolve();
    } catch (err) {
      failedAt = clock();
      send.catch(() => undefined);
      const reason = err instanceof VigilError && err.code === 'REQUEST_TIMEOUT' ? err : overloaded();
      for (const p of batch) p.reject(reason);
    } finally {
      clearTimeout(timeout);
    }
  }

  return {
    publish(alerts) {
      if (alerts.length === 0) return Promise.resolve();
      if (clock() - failedAt < settings.failFastMs) return Promise.reject(overloaded());
      if (queued + sending + alerts.length > settings.maxInFlight) return Promise.reject(overloaded());
      return new Promise<void>((resolve, reject) => {
        queue.push({ alerts, resolve, reject });
        queued += alerts.length;
        if (queued >= settings.maxBatch) {
          if (timer) clearTimeout(timer);
          void flush();
        } else if (!timer) {
          timer = setTimeout(() => void flush(), settings.lingerMs);
        }
      });
    },
    healthy: () => clock() - failedAt >= settings.failFastMs,
    inFlight: () => queued + sending,
  };
}
