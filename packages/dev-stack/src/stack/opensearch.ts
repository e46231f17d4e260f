import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { daemonEnv } from './daemon-env.ts';
import { ensureCached, singleFile, unpackArchive } from './install-cache.ts';
import { createJvmComponent } from './jvm-component.ts';
import { copyArtifact } from './maven-fetch.ts';
import { LOCAL_HOST, OPENSEARCH_PORT, OPENSEARCH_TRANSPORT_PORT, OPENSEARCH_URL } from './ports.ts';
import { httpGet } from './probes.ts';
import { runCommand } from './run-command.ts';
import { asUser, assertUserCanUse, chown, ensureServiceUser } from './service-user.ts';
import type { ServiceUser } from './service-user.ts';
import { renderTemplateFile } from './templates.ts';
import type { TemplateValues } from './templates.ts';
import type { Component, ComponentContext } from './types.ts';
import { OPENSEARCH_ARTIFACT, OPENSEARCH_VERSION } from './versions.ts';

export const OPENSEARCH_USER = 'vigil-search';
const HEAP = '-Xms1g -Xmx1g';

export function opensearchValues(dataPath: string, logsPath: string): TemplateValues {
  return { host: LOCAL_HOST, httpPort: OPENSEARCH_PORT, transportPort: OPENSEARCH_TRANSPORT_PORT, dataPath, logsPath };
}

/** "green"/"yellow" from a _cluster/health body, or undefined when it is not one. */
export function parseHealthStatus(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { status?: unknown };
    return typeof parsed.status === 'string' ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}

export function createOpenSearch(context: ComponentContext, isRoot: boolean): Component {
  const { paths, log } = context;
  const cachedDist = join(paths.cacheDir, `opensearch-${OPENSEARCH_VERSION}`);
  // The cache usually sits in root's 0700 home, out of the service user's reach,
  // and OpenSearch writes into its own config folder (keystore) and home (gc.log),
  // so every checkout runs from its own copy owned by that user.
  const home = paths.optDir(`opensearch-${OPENSEARCH_VERSION}`);
  const dataDir = paths.dataDir('opensearch');
  const dataPath = join(dataDir, 'data');
  const logsPath = join(dataDir, 'logs');
  let serviceUser: ServiceUser | undefined;

  async function ensureRuntimeCopy(): Promise<void> {
    const copied = await ensureCached({
      dir: home,
      sentinel: join('bin', 'opensearch'),
      populate: async (staging) => {
        const result = await runCommand('cp', ['-a', `${cachedDist}/.`, staging]);
        if (result.code !== 0) throw new Error(`copying ${cachedDist} failed: ${result.stderr.trim()}`);
      },
    });
    if (copied && serviceUser) await chown(serviceUser, [home], true);
  }

  return createJvmComponent({
    name: 'opensearch',
    port: OPENSEARCH_PORT,
    extraPorts: [OPENSEARCH_TRANSPORT_PORT],
    readyTimeoutMs: 180_000,
    stopGraceMs: 30_000,
    paths,
    log,
    java: context.java,

    async install() {
      await ensureCached({
        dir: cachedDist,
        sentinel: join('bin', 'opensearch'),
        populate: async (staging) => {
          log(`opensearch: fetching OpenSearch ${OPENSEARCH_VERSION} from Maven Central into ${cachedDist}`);
          const download = join(staging, '.download');
          const unpacked = join(staging, '.unpacked');
          await copyArtifact(OPENSEARCH_ARTIFACT, download, staging);
          await mkdir(unpacked);
          await unpackArchive(await singleFile(download, '.zip'), unpacked);
          // The zip wraps everything in opensearch-<version>/; flatten it into the cache folder.
          const top = join(unpacked, `opensearch-${OPENSEARCH_VERSION}`);
          for (const entry of await readdir(top)) await rename(join(top, entry), join(staging, entry));
          await rm(download, { recursive: true, force: true });
          await rm(unpacked, { recursive: true, force: true });
        },
      });
    },

    async prepare(java, marker) {
      if (isRoot) serviceUser ??= await ensureServiceUser(OPENSEARCH_USER, log);
      await ensureRuntimeCopy();
      await mkdir(dataPath, { recursive: true });
      await mkdir(logsPath, { recursive: true });
      const template = join(paths.infraDir, 'opensearch', 'opensearch.yml.template');
      await writeFile(join(home, 'config', 'opensearch.yml'), await renderTemplateFile(template, opensearchValues(dataPath, logsPath)));
      const launcher = join(home, 'bin', 'opensearch');
      if (serviceUser) {
        // Not recursive: whatever is inside was written by the service user already.
        await chown(serviceUser, [dataDir, dataPath, logsPath], false);
        await assertUserCanUse(serviceUser, [launcher, join(home, 'config', 'opensearch.yml')], [dataPath, logsPath, join(home, 'config')]);
      }
      // A node attribute is the one free-form setting OpenSearch accepts; as an
      // argument it is visible from the very first exec (setpriv, then the script, then java).
      const launcherArgs = [`-Enode.attr.${marker}`];
      const { command, args } = serviceUser ? asUser(serviceUser, launcher, launcherArgs) : { command: launcher, args: launcherArgs };
      return {
        command,
        args,
        env: daemonEnv(dataDir, {
          OPENSEARCH_JAVA_HOME: java.javaHome,
          OPENSEARCH_JAVA_OPTS: HEAP,
          OPENSEARCH_PATH_CONF: join(home, 'config'),
        }),
        cwd: dataDir,
      };
    },

    async probe() {
      const answer = await httpGet(`${OPENSEARCH_URL}/_cluster/health?wait_for_status=yellow&timeout=1s`, 3000);
      if (answer?.status !== 200) return undefined;
      return `cluster health ${parseHealthStatus(answer.body) ?? 'unknown'}`;
    },
  });
}
