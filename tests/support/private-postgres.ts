import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { awaitOutput } from './await-output.ts';
import type { TestCertificates } from './test-certificates.ts';

export interface PrivatePostgres {
  readonly port: number;
  stop(): Promise<void>;
}

/** The machine's PostgreSQL binaries (Debian layout), newest major first. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors.length === 0) throw new Error(`no PostgreSQL binaries under ${root}`);
  return join(root, majors[0]!, 'bin');
}

/**
 * A throwaway PostgreSQL cluster (the machine's binaries) that accepts only TLS
 * (`hostssl` + scram-sha-256 in pg_hba.conf, nothing else) on a loopback port, with one
 * password user. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
 */
export async function startPrivatePostgres(certs: TestCertificates, port: number, user: { name: string; password: string }): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args]);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-'));
  const id = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  const owner = asRoot ? { uid: id('-u'), gid: id('-g') } : null;
  const own = (path: string) => {
    if (owner) chownSync(path, owner.uid, owner.gid);
  };
  own(dir);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${user.password}\n`, { mode: 0o600 });
  own(pwfile);
  const data = join(dir, 'data');
  const [initdb, initArgs] = run('initdb', ['-D', data, '-A', 'scram-sha-256', '--pwfile', pwfile, '-U', user.name]);
  await promisify(execFile)(initdb, initArgs);
  // The server reads its key only if it alone can (0600, its owner).
  for (const [from, to] of [[certs.certFile, 'server.crt'], [certs.keyFile, 'server.key']] as const) {
    copyFileSync(from, join(data, to));
    chmodSync(join(data, to), 0o600);
    own(join(data, to));
  }
  writeFileSync(join(data, 'pg_hba.conf'), `hostssl all all 127.0.0.1/32 scram-sha-256\n`);
  own(join(data, 'pg_hba.conf'));
  const [postgres, args] = run('postgres', ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'ssl=on', '-c', 'fsync=off']);
  const child: ChildProcess = spawn(postgres, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await awaitOutput(child, 'ready to accept connections', 'private PostgreSQL', 30_000);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        // pg_ctl rather than a signal to the child: as root the child is runuser, which does not pass signals on.
        const [pgCtl, stopArgs] = run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']);
        execFile(pgCtl, stopArgs, () => undefined);
      }),
  };
}
