import { describe, expect, it } from 'vitest';
import { parseJavaSettings } from './java-runtime.ts';

describe('parseJavaSettings', () => {
  it('reads java.home and the major version from -XshowSettings:properties', () => {
    const text = [
      'Property settings:',
      '    file.encoding = UTF-8',
      '    java.home = /usr/lib/jvm/java-17-openjdk-amd64',
      '    java.specification.version = 17',
      'openjdk version "17.0.15" 2025-04-15',
    ].join('\n');
    expect(parseJavaSettings(text)).toEqual({ javaHome: '/usr/lib/jvm/java-17-openjdk-amd64', majorVersion: 17 });
  });

  it('understands the pre-9 "1.8" numbering', () => {
    expect(parseJavaSettings('    java.specification.version = 1.8\n').majorVersion).toBe(8);
  });

  it('returns nothing it cannot find', () => {
    expect(parseJavaSettings('bash: java: command not found')).toEqual({});
  });
});
