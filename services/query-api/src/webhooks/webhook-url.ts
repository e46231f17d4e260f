import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { VigilError } from '@vigil/errors';
import { addressAllowed } from './blocked-address.ts';

/** Resolves a host name to all its addresses (injected in tests). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const refused = (why: string) => new VigilError('WEBHOOK_URL_REFUSED', `webhook url refused: ${why}`, { path: 'url' });

/** Names that mean this machine or a cloud's internal services whatever DNS says. */
const INTERNAL_NAME = /(^|\.)(localhost|localdomain|internal|local|home\.arpa)$/;

export interface CheckedUrl {
  readonly url: URL;
  /** The host without IPv6 brackets: an IP literal or a DNS name. */
  readonly host: string;
  readonly literal: boolean;
}

/**
 * The checks that need no DNS: scheme, no credentials, and the host. WHATWG URL parsing
 * first turns every IPv4 spelling (`0x7f000001`, `2130706433`, `0177.0.0.1`, `127.1`) into
 * the dotted form and compresses IPv6, so the address check sees what a client would dial.
 */
export function checkUrlSyntax(raw: string, allowPrivate: boolean): CheckedUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused(`scheme ${url.protocol} (only https and http)`);
  if (url.username !== '' || url.password !== '') throw refused('credentials in the URL (the signature authenticates Vigil)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  if (literal && !addressAllowed(host, allowPrivate)) throw refused(`address ${host} is internal`);
  if (!literal && !allowPrivate && INTERNAL_NAME.test(host.replace(/\.$/, ''))) throw refused(`host ${host} is internal`);
  return { url, host, literal };
}

/**
 * Every address the host resolves to must be allowed (one bad answer refuses the whole
 * name: an attacker controls which one a client picks). Returns the addresses to dial.
 */
export async function resolveAllowed(host: string, allowPrivate: boolean, resolve: Resolver): Promise<string[]> {
  if (isIP(host) !== 0) return [host];
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    throw refused(`host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw refused(`host ${host} does not resolve`);
  const bad = addresses.find((a) => !addressAllowed(a, allowPrivate));
  if (bad !== undefined) throw refused(`host ${host} resolves to internal address ${bad}`);
  return addresses;
}

/** Registration: the syntax checks and, for a name, its current DNS answers. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<URL> {
  const checked = checkUrlSyntax(raw, allowPrivate);
  await resolveAllowed(checked.host, allowPrivate, resolve);
  return checked.url;
}
