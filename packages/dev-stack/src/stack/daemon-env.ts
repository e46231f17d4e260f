// Servers get a small, fixed environment instead of the caller's: the stack then
// behaves the same from any shell, and stray JAVA_TOOL_OPTIONS / KAFKA_OPTS or
// secrets in the developer's environment do not leak into long-lived daemons.

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function daemonEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: SYSTEM_PATH, HOME: home, LANG: 'C.UTF-8', TZ: 'UTC', ...extra };
}
