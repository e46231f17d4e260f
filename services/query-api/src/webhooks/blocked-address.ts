import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a webhook may never reach. Two classes:
 * - `internal`: loopback, private (RFC 1918, ULA), CGNAT, unspecified, reserved,
 *   documentation and benchmark ranges. WEBHOOK_ALLOW_PRIVATE lets an operator allow these
 *   (labs, tests receiving on 127.0.0.1).
 * - `always`: link-local (169.254/16 holds the cloud metadata service, fe80::/10), multicast
 *   and broadcast. No flag allows them: a webhook never needs them, and the metadata
 *   service hands out credentials.
 * IPv6 forms that embed an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are
 * judged by the IPv4 address inside, so `[::ffff:127.0.0.1]` is loopback.
 */
export type AddressVerdict = 'public' | 'internal' | 'always';

const internal = new BlockList();
const always = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['240.0.0.0', 4]] as const) {
  internal.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['169.254.0.0', 16], ['224.0.0.0', 4]] as const) always.addSubnet(net, bits, 'ipv4');
always.addAddress('255.255.255.255', 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fec0::', 10], ['2001::', 23]] as const) internal.addSubnet(net, bits, 'ipv6');
for (const [net, bits] of [['fe80::', 10], ['ff00::', 8]] as const) always.addSubnet(net, bits, 'ipv6');

/** The 8 groups of an IPv6 address as numbers (handles `::` and a dotted IPv4 tail). */
function groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16));
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 address an IPv6 one carries, if it is one of the embedding forms. */
export function embeddedIPv4(address: string): string | null {
  const g = groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return zeros(5, 8) ? null : v4(g[6]!, g[7]!); // ::ffff:a.b.c.d, ::a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!); // NAT64 64:ff9b::/96
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!); // 6to4 2002:AABB:CCDD::/48
  return null;
}

/** How an IP address (v4 or v6, no brackets, no zone) must be treated; a non-address is `always`. */
export function classifyAddress(raw: string): AddressVerdict {
  const address = raw.replace(/%.*$/, '');
  if (isIPv4(address)) return always.check(address, 'ipv4') ? 'always' : internal.check(address, 'ipv4') ? 'internal' : 'public';
  if (!isIPv6(address)) return 'always';
  const inner = embeddedIPv4(address);
  if (inner !== null) return classifyAddress(inner);
  return always.check(address, 'ipv6') ? 'always' : internal.check(address, 'ipv6') ? 'internal' : 'public';
}

/** True when a webhook may connect to the address under the operator's setting. */
export const addressAllowed = (address: string, allowPrivate: boolean): boolean => {
  const verdict = classifyAddress(address);
  return verdict === 'public' || (verdict === 'internal' && allowPrivate);
};
