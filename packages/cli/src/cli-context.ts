import type { Endpoints } from './endpoints.ts';

/** What an operator command gets from main: where the deployment is, and how to get a development token. */
export interface CliContext {
  readonly endpoints: Endpoints;
  /** A token from the local development identity provider (only for `--tenant` conveniences). */
  devToken(options: { tenant: string; role: string; ttl?: string | undefined }): Promise<string>;
}
