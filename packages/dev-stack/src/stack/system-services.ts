import { readdir } from 'node:fs/promises';
import { LOCAL_HOST, POSTGRES_PORT, REDIS_PORT } from './ports.ts';
import { isTcpOpen, isWaitTimeout, waitUntil } from './probes.ts';
import { isCommandMissing, runCommand } from './run-command.ts';
import type { Component, ComponentStatus } from './types.ts';

// PostgreSQL and Redis belong to the machine, not to the stack: we only check
// them, start Debian's own instances when they are down, and never stop them.

interface SystemServiceSpec {
  name: string;
  port: number;
  /** Command that starts the machine's own instance, resolved at call time. */
  startCommand(): Promise<{ command: string; args: string[] }>;
  installHint: string;
  log: (line: string) => void;
}

const START_TIMEOUT_MS = 30_000;

function createSystemService(spec: SystemServiceSpec): Component {
  const { name, port } = spec;
  const status = (state: ComponentStatus['state'], detail?: string): ComponentStatus => ({
    name,
    port,
    state,
    managed: false,
    ...(detail !== undefined ? { detail } : {}),
  });

  return {
    name,
    port,

    async status() {
      return (await isTcpOpen(LOCAL_HOST, port)) ? status('up', 'system service') : status('down', 'system service, not listening');
    },

    async up() {
      if (await isTcpOpen(LOCAL_HOST, port)) return status('up', 'system service');
      const { command, args } = await spec.startCommand();
      spec.log(`${name}: not listening on ${port}, starting it: ${command} ${args.join(' ')}`);
      let result;
      try {
        result = await runCommand(command, args, { timeoutMs: START_TIMEOUT_MS });
      } catch (error) {
        if (isCommandMissing(error)) throw new Error(`${name}: ${command} not found: ${spec.installHint}`);
        throw error;
      }
      if (result.code !== 0) {
        throw new Error(`${name}: ${command} failed (exit ${result.code}): ${(result.stderr + result.stdout).trim().slice(-2000)}`);
      }
      try {
        await waitUntil(async () => ((await isTcpOpen(LOCAL_HOST, port)) ? true : undefined), { timeoutMs: START_TIMEOUT_MS });
      } catch (error) {
        if (isWaitTimeout(error)) throw new Error(`${name}: started but port ${port} is still closed after ${START_TIMEOUT_MS / 1000}s`);
        throw error;
      }
      spec.log(`${name}: listening on ${port}`);
      return status('up', 'system service, started now');
    },

    async down() {
      // Deliberately nothing: other projects on the machine may use it.
    },
  };
}

export function createPostgres(log: (line: string) => void): Component {
  return createSystemService({
    name: 'postgres',
    port: POSTGRES_PORT,
    log,
    installHint: 'install PostgreSQL (Debian: apt-get install postgresql)',
    async startCommand() {
      let versions: string[] = [];
      try {
        versions = (await readdir('/etc/postgresql')).sort((a, b) => Number(b) - Number(a));
      } catch {
        // Handled below.
      }
      const newest = versions[0];
      if (newest === undefined) throw new Error('postgres: not running and no cluster under /etc/postgresql: apt-get install postgresql');
      // --skip-systemctl-redirect: there is no systemd in containers and CI.
      return { command: 'pg_ctlcluster', args: ['--skip-systemctl-redirect', newest, 'main', 'start'] };
    },
  });
}

export function createRedis(log: (line: string) => void): Component {
  return createSystemService({
    name: 'redis',
    port: REDIS_PORT,
    log,
    installHint: 'install Redis (Debian: apt-get install redis-server)',
    async startCommand() {
      return {
        command: 'redis-server',
        args: [
          '--daemonize', 'yes',
          '--bind', '127.0.0.1', '-::1',
          '--port', String(REDIS_PORT),
          // A cache for tests: no snapshots or AOF to clean up.
          '--save', '',
          '--appendonly', 'no',
          '--dir', '/var/lib/redis',
          '--logfile', '/var/log/redis/ci.log',
        ],
      };
    },
  });
}
