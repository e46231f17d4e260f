import { describe, expect, it } from 'vitest';
import { classifyAddress, embeddedIPv4 } from './blocked-address.ts';
import { checkUrlSyntax, checkWebhookUrl, resolveAllowed, type Resolver } from './webhook-url.ts';

const refusedSyntax = [
  'http://127.0.0.1/hook', 'http://127.1/', 'http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://017700000001/', 'http://0x7f.0.0.1/',
  'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:ffff:127.0.0.1]/', 'http://[::127.0.0.1]/', 'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/',
  'http://0.0.0.0/', 'http://0/', 'http://[::]/',
  'http://10.0.0.1/', 'http://10.255.255.255/', 'http://172.16.0.1/', 'http://172.31.255.254/', 'http://192.168.1.1/', 'http://3232235777/', 'http://100.64.0.1/', 'http://100.127.255.255/',
  'http://169.254.169.254/latest/meta-data/', 'http://0xa9fea9fe/', 'http://2852039166/', 'http://[::ffff:169.254.169.254]/', 'http://[fe80::1]/', 'http://[fd00:ec2::254]/', 'http://[fc00::1]/',
  'http://224.0.0.1/', 'http://239.255.255.250/', 'http://[ff02::1]/', 'http://255.255.255.255/', 'http://240.0.0.1/', 'http://198.18.0.1/', 'http://[2001:db8::1]/',
  'http://localhost/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://metadata.google.internal/', 'http://printer.local/',
  'ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'not a url', '//example.com/x',
  'https://user:pass@example.com/', 'https://user@example.com/',
];

const acceptedSyntax = ['https://hooks.slack.com/services/T/B/x', 'http://example.com:8080/x', 'https://8.8.8.8/', 'https://[2606:4700::1111]/', 'https://1.1.1.1/', 'https://172.32.0.1/', 'https://100.128.0.1/', 'https://[::ffff:8.8.8.8]/'];

describe('webhook URL syntax and literal addresses', () => {
  it.each(refusedSyntax)('refuses %s', (url) => {
    expect(() => checkUrlSyntax(url, false)).toThrow(expect.objectContaining({ code: 'WEBHOOK_URL_REFUSED' }));
  });

  it.each(acceptedSyntax)('accepts %s', (url) => {
    expect(checkUrlSyntax(url, false).url.href).toBeTruthy();
  });

  it('lets the operator flag allow loopback and private targets, never link-local, multicast or credentials', () => {
    for (const url of ['http://127.0.0.1:9999/', 'http://[::1]/', 'http://10.0.0.1/', 'http://[::ffff:127.0.0.1]/', 'http://localhost/']) expect(checkUrlSyntax(url, true).url.href).toBeTruthy();
    for (const url of ['http://169.254.169.254/', 'http://[fe80::1]/', 'http://224.0.0.1/', 'http://u:p@127.0.0.1/', 'file:///etc/passwd']) {
      expect(() => checkUrlSyntax(url, true), url).toThrow(expect.objectContaining({ code: 'WEBHOOK_URL_REFUSED' }));
    }
  });
});

describe('address classification', () => {
  it.each([
    ['127.0.0.1', 'internal'], ['8.8.8.8', 'public'], ['169.254.169.254', 'always'], ['::1', 'internal'], ['::ffff:7f00:1', 'internal'], ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'always'], ['2002:0a00:0001::1', 'internal'], ['fe80::1%eth0', 'always'], ['2606:4700::1111', 'public'], ['not-an-ip', 'always'], ['::', 'internal'],
  ] as const)('%s is %s', (address, verdict) => {
    expect(classifyAddress(address)).toBe(verdict);
  });

  it('reads the IPv4 address out of the embedding IPv6 forms only', () => {
    expect(embeddedIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('2606:4700::1111')).toBeNull();
    expect(embeddedIPv4('::')).toBeNull();
  });
});

describe('DNS answers', () => {
  const dns = (answers: Record<string, string[]>): Resolver => async (host) => {
    const found = answers[host];
    if (!found) throw new Error('ENOTFOUND');
    return found;
  };
  const resolver = dns({ 'good.example': ['93.184.216.34'], 'rebind.example': ['93.184.216.34', '127.0.0.1'], 'meta.example': ['169.254.169.254'], 'v6.example': ['::ffff:10.0.0.1'] });

  it('refuses a name when any answer is internal, or when it does not resolve', async () => {
    for (const host of ['rebind.example', 'meta.example', 'v6.example', 'missing.example']) {
      await expect(resolveAllowed(host, false, resolver), host).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    }
    expect(await resolveAllowed('good.example', false, resolver)).toEqual(['93.184.216.34']);
    await expect(checkWebhookUrl('https://rebind.example/x', false, resolver)).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    expect((await checkWebhookUrl('https://good.example/x', false, resolver)).hostname).toBe('good.example');
  });

  it('still refuses metadata behind a name with the operator flag', async () => {
    await expect(resolveAllowed('meta.example', true, resolver)).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    expect(await resolveAllowed('v6.example', true, resolver)).toEqual(['::ffff:10.0.0.1']);
  });
});
