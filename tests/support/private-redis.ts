import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awaitOutput } from './await-output.ts';
import type { TestCertificates } from './test-certificates.ts';

export interface PrivateRedis {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * A throwaway redis-server (the machine's binary) that speaks only TLS on a loopback port
 * (`port 0` turns plaintext off) and knows only one ACL user with a password: the default
 * user is off, so nothing reaches it without the user's credentials.
 */
export async function startPrivateRedis(certs: TestCertificates, port: number, user: { name: string; password: string }): Promise<PrivateRedis> {
  const conf = join(certs.dir, 'redis.conf');
  writeFileSync(
    conf,
    [
      'bind 127.0.0.1',
      'port 0',
      `tls-port ${port}`,
      `tls-cert-file ${certs.certFile}`,
      `tls-key-file ${certs.keyFile}`,
      `tls-ca-cert-file ${certs.caFile}`,
      'tls-auth-clients no',
      'save ""',
      'appendonly no',
      `dir ${certs.dir}`,
      'user default off',
      `user ${user.name} on >${user.password} ~* &* +@all`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('redis-server', [conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  await awaitOutput(child, 'Ready to accept connections', 'redis-server', 15_000);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
