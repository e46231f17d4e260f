import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { KafkaConnection } from '@vigil/config';
import type { Logger } from '@vigil/logging';
import { OffsetResetRefused, offsetResetOf, type OffsetOutOfRange } from './offset-reset-guard.ts';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /**
   * kafkajs resets an out-of-range offset to the group default and only logs it. A
   * silent reset skips or replays data, so with this hook set the reset is refused
   * (the consumer crashes without committing it) and the hook tells the runtime to stop.
   */
  readonly onOffsetOutOfRange?: (detail: OffsetOutOfRange) => void;
  /** Request retries; the gateway keeps them low so a dead broker turns into a fast 503. */
  readonly retries?: number;
  /** TLS and SASL from `loadStoreConnections` (absent: plaintext, as the local stack). */
  readonly tls?: KafkaConnection['tls'] | undefined;
  readonly sasl?: KafkaConnection['sasl'] | undefined;
}

/** kafkajs' ssl/sasl options: the chain is always verified, against the CA when one is given. */
export function kafkaSecurity(connection: Pick<KafkaClientOptions, 'tls' | 'sasl'>): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const { tls, sasl } = connection;
  return {
    ...(tls ? { ssl: { rejectUnauthorized: true, ...(tls.ca === undefined ? {} : { ca: [tls.ca] }) } } : {}),
    ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } } : {}),
  } as Pick<KafkaConfig, 'ssl' | 'sasl'>;
}

const levelName: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...kafkaSecurity(options),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: options.retries ?? 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      log[levelName[entry.level] ?? 'info']({ namespace: entry.namespace, ...rest }, message);
      const reset = options.onOffsetOutOfRange ? offsetResetOf(message, rest) : null;
      if (reset && options.onOffsetOutOfRange) {
        options.onOffsetOutOfRange(reset);
        throw new OffsetResetRefused(reset);
      }
    },
  });
}

export type { Kafka };
