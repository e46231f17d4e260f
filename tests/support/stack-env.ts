import { randomBytes } from 'node:crypto';
import { createDevContext } from '@vigil/dev-stack';

/** The context the CLI uses, so tests start services exactly as `vigil run` does. */
export const cli = createDevContext(process.env);
export const stackEnv = cli.serviceEnv;

/** A tenant no other test (or earlier run) has used: tests share topics and indices. */
export function uniqueTenant(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function uniqueGroup(stage: string): string {
  return `test.${stage}.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}`;
}
