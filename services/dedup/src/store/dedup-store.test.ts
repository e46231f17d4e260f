import { describe, expect, it } from 'vitest';
import { dedupKeys, dedupWindowPattern, tenantOfWindowKey } from './dedup-keys.ts';
import { decodeDedupReply } from './dedup-store.ts';

const fp = 'ab'.repeat(32);

describe('dedupKeys', () => {
  it('puts the tenant in a hash tag on every key', () => {
    expect(dedupKeys('acme', fp)).toEqual({
      window: `vigil:dedup:{acme}:${fp}`,
      decisions: `vigil:dedup:{acme}:${fp}:ids`,
      seen: `vigil:dedup:{acme}:${fp}:seen`,
      closed: `vigil:dedup:{acme}:${fp}:closed`,
    });
  });

  it.each([
    [`vigil:dedup:{acme}:${fp}`, 'acme'],
    [`vigil:dedup:{t-1_x}:${fp}`, 't-1_x'],
    [`vigil:dedup:{acme}:${fp}:ids`, null],
    [`vigil:dedup:{acme}:${fp}:seen`, null],
    [`vigil:dedup:{acme}:${fp}:closed`, null],
    ['vigil:rate:{acme}:x', null],
  ])('tenantOfWindowKey(%s) = %s', (key, tenant) => {
    expect(tenantOfWindowKey(key)).toBe(tenant);
  });
});

/** The subset of Redis glob the patterns use (`*`, `[a-b]` classes, `\\` escapes), as a RegExp. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '.*';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      source += glob.slice(i, end + 1);
      i = end;
    } else if (c === '\\') source += `\\${glob[++i]!}`;
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

describe('dedupWindowPattern', () => {
  const all = globToRegExp(dedupWindowPattern());
  const acme = globToRegExp(dedupWindowPattern('acme'));

  it.each([
    [`vigil:dedup:{acme}:${fp}`, true, true],
    [`vigil:dedup:{acme}:ab12`, true, true],
    [`vigil:dedup:{acme}:${'d'.repeat(64)}`, true, true],
    [`vigil:dedup:{acme-2}:${fp}`, true, false],
    [`vigil:dedup:{acm}:${fp}`, true, false],
    // The companions the counting budget must not be spent on.
    [`vigil:dedup:{acme}:${fp}:ids`, false, false],
    [`vigil:dedup:{acme}:${fp}:seen`, false, false],
    ['vigil:rate:{acme}:ab12', false, false],
  ])('%s: any tenant %s, acme %s', (key, inAll, inAcme) => {
    expect(all.test(key)).toBe(inAll);
    expect(acme.test(key)).toBe(inAcme);
  });

  it('escapes glob metacharacters of a tenant id', () => {
    expect(dedupWindowPattern('a*[b]?\\')).toBe('vigil:dedup:{a\\*\\[b\\]\\?\\\\}:*[0-9a-f]');
  });
});

describe('decodeDedupReply', () => {
  it.each([
    [['canonical', '0'], { kind: 'canonical', replay: false }],
    [['canonical', '1'], { kind: 'canonical', replay: true }],
    [['late', '0'], { kind: 'late', replay: false }],
    [
      ['duplicate', '1', 'c-1', '1700000000123', '312', '1699999999000', '1700000002000'],
      { kind: 'duplicate', replay: true, canonicalId: 'c-1', canonicalEventTime: 1700000000123, count: 312, firstSeen: 1699999999000, lastSeen: 1700000002000 },
    ],
  ])('decodes %j', (reply, decision) => {
    expect(decodeDedupReply(reply)).toEqual(decision);
  });

  it.each([[null], ['canonical'], [['maybe', '0']], [['duplicate', '0', '', '1', '1', '1', '1']], [['duplicate', '0', 'c', '1.7e+12', '1', '1', '1']], [['duplicate', '0', 'c', '1']]])(
    'refuses %j',
    (reply) => {
      expect(() => decodeDedupReply(reply)).toThrow(/dedup-step returned/);
    },
  );
});
