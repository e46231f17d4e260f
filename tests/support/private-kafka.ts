import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli } from './stack-env.ts';
import { awaitOutput } from './await-output.ts';
import type { TestCertificates } from './test-certificates.ts';

export interface PrivateKafka {
  readonly brokers: string;
  stop(): Promise<void>;
}

/**
 * A throwaway single-node KRaft Kafka from the jars the dev stack already downloaded
 * (`~/.cache/vigil/kafka-<version>/libs`), whose only client listener is SASL_SSL with
 * SCRAM-SHA-256 on a loopback port: its certificate is the test CA's, and the SCRAM user
 * is created at format time (`--add-scram`), as a production cluster's would be by its
 * operator. About 20 s to start on two cores.
 */
export async function startPrivateKafka(certs: TestCertificates, ports: { broker: number; controller: number }, user: { name: string; password: string }): Promise<PrivateKafka> {
  // The install the stack manager completed (a partial download keeps a `.partial-*` suffix).
  const install = readdirSync(cli.cacheDir).find((name) => /^kafka-\d+\.\d+\.\d+$/.test(name));
  if (install === undefined) throw new Error(`no Kafka install in ${cli.cacheDir}; run \`npx vigil stack up\` once`);
  const libs = join(cli.cacheDir, install, 'libs');
  const java = cli.javaHome ? join(cli.javaHome, 'bin', 'java') : 'java';
  const dir = certs.dir;
  const keystore = join(dir, 'kafka-keystore.pem');
  writeFileSync(keystore, certs.key + certs.cert);
  const brokerPassword = randomBytes(12).toString('hex');
  const properties = join(dir, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${ports.controller}`,
      `listeners=SASL_SSL://127.0.0.1:${ports.broker},CONTROLLER://127.0.0.1:${ports.controller}`,
      `advertised.listeners=SASL_SSL://127.0.0.1:${ports.broker}`,
      'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=SASL_SSL',
      'sasl.enabled.mechanisms=SCRAM-SHA-256',
      'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256',
      `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="${brokerPassword}";`,
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${keystore}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${certs.caFile}`,
      `log.dirs=${join(dir, 'kafka-logs')}`,
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'num.partitions=1',
      '',
    ].join('\n'),
  );
  const log4j = join(dir, 'kafka-log4j.properties');
  writeFileSync(log4j, 'log4j.rootLogger=WARN, out\nlog4j.appender.out=org.apache.log4j.ConsoleAppender\nlog4j.appender.out.layout=org.apache.log4j.PatternLayout\nlog4j.appender.out.layout.ConversionPattern=%p %m (%c)%n\nlog4j.logger.kafka.server.KafkaRaftServer=INFO\n');
  const jvm = [`-Dlog4j.configuration=file:${log4j}`, '-cp', `${libs}/*`];
  const clusterId = randomBytes(16).toString('base64url').replace(/^-/, 'A');
  await promisify(execFile)(java, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties, '--add-scram', `SCRAM-SHA-256=[name=broker,password=${brokerPassword}]`, '--add-scram', `SCRAM-SHA-256=[name=${user.name},password=${user.password}]`], { cwd: dir });
  const child: ChildProcess = spawn(java, ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', ...jvm, 'kafka.Kafka', properties], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  await awaitOutput(child, 'Kafka Server started', 'private Kafka', 90_000);
  return {
    brokers: `127.0.0.1:${ports.broker}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
