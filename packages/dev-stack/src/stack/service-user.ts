import { isCommandMissing, runCommand } from './run-command.ts';

// OpenSearch refuses to start as root. When the CLI runs as root we run it as a
// dedicated locked-down system user instead; as a normal user it runs as that user.

export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

async function lookup(name: string): Promise<ServiceUser | undefined> {
  const uid = await runCommand('id', ['-u', name]);
  const gid = await runCommand('id', ['-g', name]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function ensureServiceUser(name: string, log: (line: string) => void): Promise<ServiceUser> {
  const existing = await lookup(name);
  if (existing) return existing;
  log(`creating system user ${name} (OpenSearch will not run as root)`);
  let result;
  try {
    result = await runCommand('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  } catch (error) {
    if (isCommandMissing(error)) throw new Error(`useradd not found: create the user ${name} yourself (or run the stack as a non-root user)`);
    throw error;
  }
  // Exit 9: created concurrently by another `up`.
  if (result.code !== 0 && result.code !== 9) throw new Error(`useradd ${name} failed: ${result.stderr.trim()}`);
  const created = await lookup(name);
  if (!created) throw new Error(`user ${name} still missing after useradd`);
  return created;
}

/** Runs `command` as the user (setpriv execs in place, unlike runuser/su which stay as a parent process). */
export function asUser(user: ServiceUser, command: string, args: readonly string[]): { command: string; args: string[] } {
  return {
    command: 'setpriv',
    args: ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', command, ...args],
  };
}

export async function chown(user: ServiceUser, paths: readonly string[], recursive: boolean): Promise<void> {
  const result = await runCommand('chown', [...(recursive ? ['-R'] : []), `${user.uid}:${user.gid}`, ...paths]);
  if (result.code !== 0) throw new Error(`chown ${paths.join(' ')} failed: ${result.stderr.trim()}`);
}

/** Fails early, and readably, when a parent folder (e.g. a 0700 home) hides a path from the user. */
export async function assertUserCanUse(user: ServiceUser, readable: string[], writable: string[]): Promise<void> {
  for (const [flag, list] of [['-r', readable], ['-w', writable]] as const) {
    for (const path of list) {
      const { command, args } = asUser(user, 'test', [flag, path]);
      const result = await runCommand(command, args);
      if (result.code !== 0) {
        throw new Error(
          `user ${user.name} cannot ${flag === '-r' ? 'read' : 'write'} ${path}: every parent folder needs o+x ` +
            '(check with: namei -l ' + path + ')',
        );
      }
    }
  }
}
