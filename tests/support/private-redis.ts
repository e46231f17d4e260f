import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
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
