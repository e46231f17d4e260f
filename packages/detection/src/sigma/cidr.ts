import { mappedIPv4, parseIPv4, parseIPv6 } from './ip-address.ts';

export type CidrTest = (address: string) => boolean;

// One scratch buffer: matching is synchronous, so no two parses are ever in flight together.
const scratch = new Uint16Array(8);

/**
 * Compiles `10.0.0.0/8`, `2001:db8::/32` or a bare address (a one-address range) into a test of
 * an address string. Host bits set in the rule (`10.1.2.3/8`) are ignored, as network tools do.
 * An IPv4 range also matches the IPv4-mapped IPv6 form of its addresses, which dual-stack
 * sensors report. Returns an error sentence for anything that is not a CIDR.
 */
export function compileCidr(cidr: string): CidrTest | string {
  const slash = cidr.indexOf('/');
  const address = slash < 0 ? cidr : cidr.slice(0, slash);
  const prefixText = slash < 0 ? undefined : cidr.slice(slash + 1);
  const v4 = parseIPv4(address);
  const bits = v4 >= 0 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= bits)) return `"${cidr}" has no valid prefix length (0-${bits})`;
  if (v4 >= 0) return ipv4Range(v4, prefix);
  const network = new Uint16Array(8);
  if (!parseIPv6(address, network)) return `"${cidr}" is not an IPv4 or IPv6 address or CIDR`;
  return ipv6Range(network, prefix);
}

function ipv4Range(address: number, prefix: number): CidrTest {
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  const last = first + size - 1;
  const within = (ip: number): boolean => ip >= first && ip <= last;
  return (text) => {
    const ip = parseIPv4(text);
    if (ip >= 0) return within(ip);
    return parseIPv6(text, scratch) && within(mappedIPv4(scratch));
  };
}

function ipv6Range(network: Uint16Array, prefix: number): CidrTest {
  const fullGroups = Math.floor(prefix / 16);
  const partialMask = prefix % 16 === 0 ? 0 : (0xffff << (16 - (prefix % 16))) & 0xffff;
  const partialValue = ((network[fullGroups] ?? 0) & partialMask);
  return (text) => {
    if (!parseIPv6(text, scratch)) return false;
    for (let k = 0; k < fullGroups; k++) if (scratch[k] !== network[k]) return false;
    return partialMask === 0 || ((scratch[fullGroups] as number) & partialMask) === partialValue;
  };
}
