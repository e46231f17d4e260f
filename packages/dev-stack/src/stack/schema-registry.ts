import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { daemonEnv } from './daemon-env.ts';
import { ensureCached, singleFile, unpackArchive } from './install-cache.ts';
import { createJvmComponent } from './jvm-component.ts';
import { copyArtifact } from './maven-fetch.ts';
import { ensureDatabase } from './postgres-database.ts';
import {
  LOCAL_HOST,
  POSTGRES_PORT,
  POSTGRES_USER,
  SCHEMA_REGISTRY_DATABASE,
  SCHEMA_REGISTRY_PORT,
  SCHEMA_REGISTRY_URL,
} from './ports.ts';
import { httpGet } from './probes.ts';
import type { Component, ComponentContext } from './types.ts';
import { APICURIO_ARTIFACT, APICURIO_RUNNER_JAR, APICURIO_VERSION } from './versions.ts';

/**
 * Apicurio 3.0 configuration, as system properties (they outrank env vars and
 * the jar's application.properties in Quarkus). Names checked against the
 * application.properties inside the 3.0.9 runner jar and the @ConfigProperty
 * on RegistryDatasourceProducer (`apicurio.storage.sql.kind`, default h2).
 */
export function apicurioSystemProperties(): Record<string, string> {
  return {
    'quarkus.http.host': LOCAL_HOST,
    'quarkus.http.port': String(SCHEMA_REGISTRY_PORT),
    'apicurio.storage.kind': 'sql',
    // Without this it silently uses an in-memory H2 database.
    'apicurio.storage.sql.kind': 'postgresql',
    'apicurio.datasource.url': `jdbc:postgresql://${LOCAL_HOST}:${POSTGRES_PORT}/${SCHEMA_REGISTRY_DATABASE}`,
    'apicurio.datasource.username': POSTGRES_USER,
    // No password: the local server uses trust auth for loopback connections.
    // The pool defaults (20 initial, up to 100) would eat PostgreSQL's whole
    // default max_connections=100 that the services share.
    'apicurio.datasource.jdbc.initial-size': '2',
    'apicurio.datasource.jdbc.min-size': '2',
    'apicurio.datasource.jdbc.max-size': '10',
  };
}

export function createSchemaRegistry(context: ComponentContext): Component {
  const { paths, log } = context;
  const installDir = join(paths.cacheDir, `apicurio-registry-${APICURIO_VERSION}`);
  const dataDir = paths.dataDir('schema-registry');

  return createJvmComponent({
    name: 'schema-registry',
    port: SCHEMA_REGISTRY_PORT,
    readyTimeoutMs: 120_000,
    stopGraceMs: 20_000,
    paths,
    log,
    java: context.java,

    async install() {
      await ensureCached({
        dir: installDir,
        sentinel: APICURIO_RUNNER_JAR,
        populate: async (staging) => {
          log(`schema-registry: fetching Apicurio Registry ${APICURIO_VERSION} from Maven Central into ${installDir}`);
          const download = join(staging, '.download');
          await copyArtifact(APICURIO_ARTIFACT, download, staging);
          // The tarball holds the runner jar next to lib/, which its manifest Class-Path points at.
          await unpackArchive(await singleFile(download, '.tar.gz'), staging);
          await rm(download, { recursive: true, force: true });
        },
      });
    },

    async prepare(java, marker) {
      if (await ensureDatabase(SCHEMA_REGISTRY_DATABASE)) log(`schema-registry: created database ${SCHEMA_REGISTRY_DATABASE}`);
      await mkdir(dataDir, { recursive: true });
      const properties = Object.entries(apicurioSystemProperties()).map(([key, value]) => `-D${key}=${value}`);
      return {
        command: java.javaBin,
        args: ['-Xms256m', '-Xmx512m', '-Djava.awt.headless=true', `-Djava.io.tmpdir=${dataDir}`, ...properties, `-D${marker}`, '-jar', join(installDir, APICURIO_RUNNER_JAR)],
        env: daemonEnv(dataDir),
        cwd: dataDir,
      };
    },

    async probe() {
      const answer = await httpGet(`${SCHEMA_REGISTRY_URL}/subjects`);
      return answer?.status === 200 ? `ccompat API at ${SCHEMA_REGISTRY_URL}` : undefined;
    },
  });
}
