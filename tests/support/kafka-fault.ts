import { createStack, createStackPaths, findOwnedPid, isTcpOpen, KAFKA_PORT, LOCAL_HOST, stopProcess } from '@vigil/dev-stack';
import { cli } from './stack-env.ts';

/**
 * Stop and restart the shared Kafka broker, for outage tests. Other test runs share the
 * broker: keep outages short and always call `restore()` in a finally or afterAll.
 */
export interface KafkaFault {
  /** SIGTERM (a controlled shutdown), SIGKILL after the grace period; resolves once it is gone. */
  stop(): Promise<void>;
  /** Start it again (through the stack, as `vigil stack up` does) and wait until it answers. */
  restore(): Promise<void>;
  readonly stopped: boolean;
}

const paths = createStackPaths(cli.repoRoot, cli.cacheDir);

/** The broker's pid when this checkout's stack started it; undefined when it runs elsewhere (compose, another checkout). */
export function managedKafkaPid(): Promise<number | undefined> {
  // `kafka.Kafka` is the main class on the broker's command line; the pid file alone could be stale.
  return findOwnedPid(paths.pidFile('kafka'), 'kafka.Kafka');
}

/** Anything accepting connections on the broker port: ours, or one another test run started. */
export function kafkaListening(): Promise<boolean> {
  return isTcpOpen(LOCAL_HOST, KAFKA_PORT, 500);
}

export function kafkaFault(log: (line: string) => void = () => undefined): KafkaFault {
  let stopped = false;
  return {
    get stopped() {
      return stopped;
    },
    async stop() {
      const pid = await managedKafkaPid();
      if (pid === undefined) throw new Error('Kafka is not managed by this checkout (no live pid in .vigil/run/kafka.pid)');
      stopped = true;
      const how = await stopProcess(pid, 20_000);
      log(`kafka pid ${pid} ${how}`);
    },
    async restore() {
      if (!stopped) return;
      await createStack({ repoRoot: cli.repoRoot, cacheDir: cli.cacheDir, ...(cli.javaHome ? { javaHome: cli.javaHome } : {}), log }).up();
      stopped = false;
    },
  };
}
