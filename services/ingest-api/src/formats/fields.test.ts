import { describe, expect, it } from 'vitest';
import { checkFileHash, checkId, checkInteger, checkStringList, checkText, MAX_TEXT, requiredText } from './fields.ts';
import { checkIp, checkPort } from './network-fields.ts';
import { schemaFailure } from './schema-failure.ts';
import { object } from './shape.ts';

describe('checkText', () => {
  it('trims, and treats blank as missing', () => {
    expect(checkText('  a  ')).toEqual({ ok: true, value: 'a' });
    expect(checkText('   ')).toEqual({ ok: true, value: null });
    expect(checkText(undefined)).toEqual({ ok: true, value: null });
  });

  it('measures the cap after trimming', () => {
    expect(checkText(` ${'a'.repeat(MAX_TEXT)} `).ok).toBe(true);
    expect(checkText('a'.repeat(MAX_TEXT + 1))).toMatchObject({ ok: false, message: `must be at most ${MAX_TEXT} characters (got ${MAX_TEXT + 1})` });
  });

  it('rejects NUL and non-strings', () => {
    expect(checkText('a\u0000')).toMatchObject({ ok: false, message: 'must not contain NUL characters' });
    expect(checkText(1)).toMatchObject({ ok: false, message: 'must be a string (got number)' });
  });
});

describe('required text', () => {
  const schema = object({ name: requiredText() });
  it.each([
    [{}, 'name is required'],
    [{ name: '  ' }, 'name must not be empty'],
  ])('explains %j', (input, message) => {
    const result = schema.check(input);
    expect(!result.ok && schemaFailure(result)).toMatchObject({ path: 'name', message });
  });
});

describe('other field checks', () => {
  it('reads ids from strings and non-negative integers', () => {
    expect(checkId(5712)).toEqual({ ok: true, value: '5712' });
    expect(checkId('5712')).toEqual({ ok: true, value: '5712' });
    expect(checkId(-1).ok).toBe(false);
    expect(checkId(1.5).ok).toBe(false);
    expect(checkId({}).ok).toBe(false);
  });

  it('bounds integers', () => {
    expect(checkInteger(15, 0, 15)).toEqual({ ok: true, value: 15 });
    expect(checkInteger(16, 0, 15)).toMatchObject({ ok: false, message: 'must be an integer from 0 to 15 (got 16)' });
    expect(checkInteger('7', 0, 15)).toMatchObject({ ok: false, message: 'must be an integer (got string)' });
  });

  it('reads a string or a list of strings, pointing at a bad entry', () => {
    expect(checkStringList('a')).toEqual({ ok: true, value: ['a'] });
    expect(checkStringList(['a', ' ', 'b'])).toEqual({ ok: true, value: ['a', 'b'] });
    expect(checkStringList(['a', 2])).toMatchObject({ ok: false, path: [1] });
  });

  it('accepts hex digests of the usual lengths only', () => {
    expect(checkFileHash('D41D8CD98F00B204E9800998ECF8427E')).toEqual({ ok: true, value: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(checkFileHash('d41d8cd98f00b204e9800998ecf8427').ok).toBe(false);
    expect(checkFileHash('z41d8cd98f00b204e9800998ecf8427e').ok).toBe(false);
  });
});

describe('network field checks', () => {
  it.each(['10.0.0.1', '::1', '2001:db8::1', '::ffff:10.0.0.1'])('accepts the address %s', (ip) => {
    expect(checkIp(ip)).toEqual({ ok: true, value: ip });
  });

  it.each(['10.0.0.256', '10.0.0', 'localhost', '2001:db8:::1', '10.0.0.1/24'])('rejects the address %s', (ip) => {
    expect(checkIp(ip).ok).toBe(false);
  });

  it('lower-cases IPv6', () => {
    expect(checkIp(' 2001:DB8::A ')).toEqual({ ok: true, value: '2001:db8::a' });
  });

  it.each([
    [0, 0],
    [65535, 65535],
    ['443', 443],
    [null, null],
  ])('accepts the port %j', (value, port) => {
    expect(checkPort(value)).toEqual({ ok: true, value: port });
  });

  it.each([-1, 65536, 80.5, '80a', '', 'https', true])('rejects the port %j', (value) => {
    expect(checkPort(value).ok).toBe(false);
  });
});
