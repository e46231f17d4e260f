import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_JWKS_PORT, ensureDevKeys } from '@vigil/auth';
import type { DevContext } from './dev-context.ts';
import { findOwnedPid, isPidAlive, removePidFile, spawnDetached, stopProcess } from './stack/process-control.ts';
import { httpGet, waitUntil } from './stack/probes.ts';

/**
 * The development identity provider runs as its own small process, so tokens minted
 * by `vigil token` verify against a JWKS URL exactly as they would in production.
 */
export function createDevIdp(ctx: DevContext) {
  const pidFile = join(ctx.stateDir, 'run', 'dev-idp.pid');
  const logFile = join(ctx.stateDir, 'logs', 'dev-idp.log');
  const url = `http://127.0.0.1:${DEV_JWKS_PORT}/.well-known/jwks.json`;
  const entry = fileURLToPath(new URL('./dev-idp-main.ts', import.meta.url));
  const serving = async () => ((await httpGet(url, 1000))?.status === 200 ? true : undefined);
  /** The JWKS on the port is ours: another checkout's IdP would make our tokens fail with 401. */
  const servesOurKeys = async (): Promise<boolean> => {
    const [{ jwks }, served] = await Promise.all([ensureDevKeys(ctx.idpDir), fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.json() as Promise<{ keys?: { kid?: string }[] }>)]);
    const ours = new Set(jwks.keys.map((k) => k.kid));
    return (served.keys ?? []).some((k) => ours.has(k.kid));
  };

  return {
    url,
    async up(): Promise<void> {
      if (await serving()) {
        if (await servesOurKeys()) return;
        throw new Error(`port ${DEV_JWKS_PORT} serves another development identity provider (another checkout's stack?); run \`npx vigil stack down\` there first`);
      }
      await spawnDetached({
        command: process.execPath,
        args: ['--import', 'tsx', entry, ctx.idpDir, String(DEV_JWKS_PORT)],
        env: { ...ctx.baseEnv },
        cwd: ctx.repoRoot,
        logFile,
        pidFile,
      });
      await waitUntil(serving, { timeoutMs: 15_000, intervalMs: 200 });
    },
    async down(): Promise<void> {
      const pid = await findOwnedPid(pidFile, 'dev-idp-main.ts');
      if (pid !== undefined && (await isPidAlive(pid))) await stopProcess(pid, 5000);
      await removePidFile(pidFile);
    },
  };
}
