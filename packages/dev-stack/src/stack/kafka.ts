import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { daemonEnv } from './daemon-env.ts';
import { ensureCached, exists } from './install-cache.ts';
import type { JavaRuntime } from './java-runtime.ts';
import { createJvmComponent } from './jvm-component.ts';
import { fetchKafkaMetadata } from './kafka-metadata-probe.ts';
import { copyDependencies } from './maven-fetch.ts';
import { KAFKA_CONTROLLER_PORT, KAFKA_PORT, LOCAL_HOST } from './ports.ts';
import { runCommand } from './run-command.ts';
import { renderTemplateFile } from './templates.ts';
import type { TemplateValues } from './templates.ts';
import type { Component, ComponentContext } from './types.ts';
import { KAFKA_MAIN_JAR, KAFKA_VERSION } from './versions.ts';

const JVM_HEAP = ['-Xms512m', '-Xmx1g'];

export function kafkaServerValues(logDirs: string): TemplateValues {
  return { host: LOCAL_HOST, kafkaPort: KAFKA_PORT, controllerPort: KAFKA_CONTROLLER_PORT, logDirs };
}

/**
 * What `kafka-storage.sh random-uuid` prints: 16 random bytes, URL-safe base64,
 * no padding. A leading '-' would be read as a command-line flag, so avoid it.
 */
export function generateClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function createKafka(context: ComponentContext): Component {
  const { paths, log } = context;
  const installDir = join(paths.cacheDir, `kafka-${KAFKA_VERSION}`);
  const libs = join(installDir, 'libs');
  const dataDir = paths.dataDir('kafka');
  const logDirs = join(dataDir, 'kraft-combined-logs');
  const serverProperties = join(dataDir, 'server.properties');
  const logFile = paths.logFile('kafka');

  // The same logging setup for the one-off format step and the broker itself.
  const jvmLogging = [
    `-Dlog4j.configuration=file:${join(paths.infraDir, 'kafka', 'log4j.properties')}`,
    `-Dvigil.log.file=${logFile}`,
    `-Dkafka.logs.dir=${dirname(logFile)}`,
  ];

  async function formatStorageOnce(java: JavaRuntime): Promise<void> {
    // meta.properties is what StorageTool writes; its presence means "already formatted".
    if (await exists(join(logDirs, 'meta.properties'))) return;
    const clusterId = generateClusterId();
    log(`kafka: formatting KRaft storage (cluster id ${clusterId})`);
    const result = await runCommand(
      java.javaBin,
      [...jvmLogging, '-cp', `${libs}/*`, 'kafka.tools.StorageTool', 'format', '--ignore-formatted', '-t', clusterId, '-c', serverProperties],
      { env: daemonEnv(dataDir), cwd: dataDir },
    );
    if (result.code !== 0) {
      throw new Error(`kafka: formatting storage failed:\n${(result.stdout + result.stderr).trim().slice(-3000)}`);
    }
  }

  return createJvmComponent({
    name: 'kafka',
    port: KAFKA_PORT,
    extraPorts: [KAFKA_CONTROLLER_PORT],
    readyTimeoutMs: 90_000,
    // Controlled shutdown of a single node is quick; the grace covers log flushing.
    stopGraceMs: 30_000,
    paths,
    log,
    java: context.java,

    async install() {
      const pom = join(paths.infraDir, 'kafka', 'pom.xml');
      await ensureCached({
        dir: installDir,
        sentinel: join('libs', KAFKA_MAIN_JAR),
        populate: async (staging) => {
          log(`kafka: fetching Kafka ${KAFKA_VERSION} jars from Maven Central into ${installDir}`);
          await copyDependencies(pom, join(staging, 'libs'), paths.repoRoot, { 'kafka.version': KAFKA_VERSION });
        },
      });
    },

    async prepare(java, marker) {
      await mkdir(logDirs, { recursive: true });
      await mkdir(dirname(logFile), { recursive: true });
      const template = join(paths.infraDir, 'kafka', 'server.properties.template');
      await writeFile(serverProperties, await renderTemplateFile(template, kafkaServerValues(logDirs)));
      await formatStorageOnce(java);
      return {
        command: java.javaBin,
        args: [
          ...JVM_HEAP,
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-Djava.awt.headless=true',
          ...jvmLogging,
          `-D${marker}`,
          '-cp',
          `${libs}/*`,
          'kafka.Kafka',
          serverProperties,
        ],
        env: daemonEnv(dataDir),
        cwd: dataDir,
      };
    },

    async probe() {
      const metadata = await fetchKafkaMetadata(LOCAL_HOST, KAFKA_PORT);
      if (metadata === undefined || metadata.brokers.length === 0) return undefined;
      return `cluster ${metadata.clusterId ?? '?'}, ${metadata.brokers.length} broker(s)`;
    },
  });
}
