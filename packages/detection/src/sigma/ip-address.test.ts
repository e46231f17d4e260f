import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { compileCidr } from './cidr.ts';
import { parseIPv4, parseIPv6 } from './ip-address.ts';

const groupsOf = (text: string): number[] | undefined => {
  const out = new Uint16Array(8);
  return parseIPv6(text, out) ? [...out] : undefined;
};

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', 2 ** 32 - 1],
    ['10.1.2.3', 0x0a010203],
    ['256.0.0.1', -1],
    ['1.2.3', -1],
    ['1.2.3.4.5', -1],
    ['1..3.4', -1],
    ['1.2.3.4 ', -1],
    ['1234.1.1.1', -1],
    ['', -1],
  ])('%s', (text, expected) => expect(parseIPv4(text)).toBe(expected));

  it('reads back any address', () => {
    fc.assert(fc.property(fc.ipV4(), (text) => {
      expect(parseIPv4(text)).toBeGreaterThanOrEqual(0);
    }));
  });
});

describe('parseIPv6', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['2001:DB8::8:800:200C:417A', [0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a]],
    ['::ffff:10.1.2.3', [0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3:4:5:6:7::', [1, 2, 3, 4, 5, 6, 7, 0]],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1:2:3:4:5:6:7:8::', undefined],
    ['1::2::3', undefined],
    ['12345::', undefined],
    [':1::', undefined],
    ['1:', undefined],
    ['10.0.0.1', undefined],
    ['fe80::1%eth0', undefined],
    ['g::', undefined],
  ])('%s', (text, expected) => expect(groupsOf(text)).toEqual(expected));

  it('agrees with node:net on what is an address', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdef:.');
    fc.assert(fc.property(fc.stringOf(alphabet, { maxLength: 45 }), (text) => {
      expect(groupsOf(text) !== undefined).toBe(isIPv6(text));
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.ipV6(), (text) => {
      expect(groupsOf(text) !== undefined).toBe(true);
    }));
  });

  it('reads the compressed and the full form alike', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((group) => group.toString(16)).join(':');
        const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1);
        expect(groupsOf(full)).toEqual(groups);
        expect(groupsOf(compressed)).toEqual(groups);
      }),
    );
  });
});

describe('compileCidr', () => {
  it('an IPv4 range holds exactly the addresses sharing its prefix', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.integer({ min: 0, max: 32 }), (network, address, prefix) => {
        const dotted = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
        const test = compileCidr(`${dotted(network)}/${prefix}`);
        if (typeof test === 'string') throw new Error(test);
        const size = 2 ** (32 - prefix);
        expect(test(dotted(address))).toBe(Math.floor(network / size) === Math.floor(address / size));
      }),
    );
  });

  it.each(['10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/1.5', '::/129', 'x/8', ''])('rejects %j', (text) => expect(typeof compileCidr(text)).toBe('string'));
});
