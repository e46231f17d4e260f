import { describe, expect, it } from 'vitest';
import { KAFKA_BOOTSTRAP_SERVERS, KAFKA_PORT, SCHEMA_REGISTRY_URL, parseHostPort, parsePort } from './ports.ts';

describe('parsePort', () => {
  it('accepts plain decimal ports, trimming whitespace', () => {
    expect(parsePort('9092')).toBe(9092);
    expect(parsePort(' 65535\n')).toBe(65535);
  });

  it.each(['', '0', '65536', '-1', '0x50', '80.5', '1e3', 'http'])('rejects %j', (text) => {
    expect(() => parsePort(text)).toThrow();
  });
});

describe('parseHostPort', () => {
  it('splits host:port and bracketed IPv6', () => {
    expect(parseHostPort('127.0.0.1:9092')).toEqual({ host: '127.0.0.1', port: 9092 });
    expect(parseHostPort('[::1]:6379')).toEqual({ host: '::1', port: 6379 });
  });

  it('rejects a missing or bad port', () => {
    expect(() => parseHostPort('localhost')).toThrow(/host:port/);
    expect(() => parseHostPort('localhost:http')).toThrow(/invalid port/);
    expect(() => parseHostPort('::1:9092')).toThrow(/host:port/);
  });

  it('agrees with the exported constants', () => {
    expect(parseHostPort(KAFKA_BOOTSTRAP_SERVERS).port).toBe(KAFKA_PORT);
    expect(SCHEMA_REGISTRY_URL).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
  });
});
