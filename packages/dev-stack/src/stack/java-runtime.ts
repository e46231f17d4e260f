import { join } from 'node:path';
import { isCommandMissing, runCommand } from './run-command.ts';

export interface JavaRuntime {
  javaBin: string;
  /** The real home (symlinks resolved by the JVM itself); OpenSearch needs it as OPENSEARCH_JAVA_HOME. */
  javaHome: string;
  majorVersion: number;
}

// Kafka 3.9 runs on 11+, but Apicurio 3 and OpenSearch 2.19 need 17+ (and 21 is fine).
const MIN_JAVA = 17;
const INSTALL_HINT = 'install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless) or pass javaHome';

export function parseJavaSettings(text: string): { javaHome?: string; majorVersion?: number } {
  const home = /^\s*java\.home = (.+)$/m.exec(text)?.[1]?.trim();
  const spec = /^\s*java\.specification\.version = (.+)$/m.exec(text)?.[1]?.trim();
  // "1.8" style for 8 and older, plain "17" since 9.
  const major = spec === undefined ? undefined : spec.startsWith('1.') ? Number(spec.slice(2)) : Number(spec);
  return {
    ...(home !== undefined ? { javaHome: home } : {}),
    ...(major !== undefined && Number.isFinite(major) ? { majorVersion: major } : {}),
  };
}

/** Asks the JVM about itself rather than guessing from symlinks or JAVA_HOME. */
export async function detectJava(javaHome?: string): Promise<JavaRuntime> {
  const javaBin = javaHome ? join(javaHome, 'bin', 'java') : 'java';
  let output: string;
  try {
    const result = await runCommand(javaBin, ['-XshowSettings:properties', '-version'], { timeoutMs: 30_000 });
    output = result.stderr + result.stdout;
  } catch (error) {
    if (isCommandMissing(error)) throw new Error(`java not found (${javaBin}): ${INSTALL_HINT}`);
    throw error;
  }
  const settings = parseJavaSettings(output);
  if (settings.javaHome === undefined || settings.majorVersion === undefined) {
    throw new Error(`could not read the Java version from ${javaBin}:\n${output.slice(0, 500)}`);
  }
  if (settings.majorVersion < MIN_JAVA) {
    throw new Error(`Java ${settings.majorVersion} at ${settings.javaHome} is too old: ${INSTALL_HINT}`);
  }
  return { javaBin: join(settings.javaHome, 'bin', 'java'), javaHome: settings.javaHome, majorVersion: settings.majorVersion };
}
