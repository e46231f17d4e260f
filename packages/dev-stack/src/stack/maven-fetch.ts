import { isCommandMissing, runCommand } from './run-command.ts';

// Maven is the one download channel this machine is guaranteed (Central only);
// it also gives us checksum verification and the ~/.m2 cache for free.

const MAVEN_TIMEOUT_MS = 15 * 60_000;

export function extractMavenErrors(output: string): string {
  // Debian's Maven emits colour resets even in batch mode with colours off.
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.trimEnd());
  const boilerplate =
    /-> \[Help|[Rr]e-run Maven|For more information|\[Help \d+\]|Try downloading the file|install it using|install:install-file|Alternatively, if you host|deploy:deploy-file|^\[ERROR\]\s*$/;
  const errors = lines.filter((line) => line.startsWith('[ERROR]') && !boilerplate.test(line));
  const picked = errors.length > 0 ? errors.slice(0, 15) : lines.filter((line) => line.trim() !== '').slice(-20);
  return picked.join('\n');
}

// Components install in parallel, but concurrent Maven runs on a cold ~/.m2 can
// race on the same plugin downloads; one Maven at a time costs little.
let mavenQueue: Promise<unknown> = Promise.resolve();

function runMaven(args: readonly string[], cwd: string): Promise<void> {
  const run = mavenQueue.then(() => runMavenNow(args, cwd));
  mavenQueue = run.catch(() => undefined);
  return run;
}

async function runMavenNow(args: readonly string[], cwd: string): Promise<void> {
  const fullArgs = ['-B', '-q', '-Dstyle.color=never', ...args];
  let result;
  try {
    result = await runCommand('mvn', fullArgs, { cwd, timeoutMs: MAVEN_TIMEOUT_MS });
  } catch (error) {
    if (isCommandMissing(error)) {
      throw new Error('mvn not found: install Maven 3.8+ (Debian: apt-get install maven); it fetches the stack from Maven Central');
    }
    throw error;
  }
  if (result.code !== 0) {
    throw new Error(`mvn ${args.join(' ')} failed (exit ${result.code}):\n${extractMavenErrors(result.stdout + result.stderr)}`);
  }
}

/** Resolves the dependencies of a (packaging=pom) project into one flat folder of jars. */
export function copyDependencies(pomPath: string, outputDir: string, cwd: string, properties: Record<string, string> = {}): Promise<void> {
  const defines = Object.entries(properties).map(([key, value]) => `-D${key}=${value}`);
  return runMaven(
    ['-f', pomPath, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outputDir}`, ...defines],
    cwd,
  );
}

/** Downloads one artifact (groupId:artifactId:version[:type[:classifier]]) into outputDir. */
export function copyArtifact(coordinates: string, outputDir: string, cwd: string): Promise<void> {
  // `cwd` must not contain a pom.xml, or Maven would try to build that project.
  return runMaven(['dependency:copy', `-Dartifact=${coordinates}`, `-DoutputDirectory=${outputDir}`], cwd);
}
