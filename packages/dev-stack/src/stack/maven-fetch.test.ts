import { describe, expect, it } from 'vitest';
import { extractMavenErrors } from './maven-fetch.ts';

describe('extractMavenErrors', () => {
  it('keeps the meaningful [ERROR] lines and drops colour codes and help boilerplate', () => {
    const output = [
      '\x1b[0m\x1b[0m',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-dependency-plugin:2.8:copy (default-cli): Unable to find artifact.',
      '[ERROR] ',
      '[ERROR] Try downloading the file manually from the project website.',
      '[ERROR]     mvn install:install-file -DgroupId=io.apicurio -Dfile=/path/to/file',
      '[ERROR]   io.apicurio:apicurio-registry-app:tar.gz:9.9.9',
      '[ERROR] -> [Help 1]',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException',
      '\x1b[0m',
    ].join('\n');
    expect(extractMavenErrors(output)).toBe(
      [
        '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-dependency-plugin:2.8:copy (default-cli): Unable to find artifact.',
        '[ERROR]   io.apicurio:apicurio-registry-app:tar.gz:9.9.9',
      ].join('\n'),
    );
  });

  it('falls back to the last lines when Maven printed no [ERROR] (e.g. a JVM crash)', () => {
    const output = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const extracted = extractMavenErrors(output).split('\n');
    expect(extracted).toHaveLength(20);
    expect(extracted[0]).toBe('line 10');
    expect(extracted.at(-1)).toBe('line 29');
  });
});
