import { describe, expect, it } from 'vitest';
import { kafkaSecurity } from './kafka-client.ts';
import { registryAuthFailure, registryConnectionOf } from './registry-http.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('kafkaSecurity', () => {
  it('plaintext without TLS or SASL: kafkajs gets neither option', () => {
    expect(kafkaSecurity({ tls: null, sasl: null })).toEqual({});
    expect(kafkaSecurity({})).toEqual({});
  });

  it('SASL_SSL: the chain is verified against the CA, and the SCRAM credentials pass through', () => {
    expect(kafkaSecurity({ tls: { ca: PEM }, sasl: { mechanism: 'scram-sha-256', username: 'vigil', password: 'pw' } })).toEqual({
      ssl: { rejectUnauthorized: true, ca: [PEM] },
      sasl: { mechanism: 'scram-sha-256', username: 'vigil', password: 'pw' },
    });
  });

  it('TLS with the system roots: verified, no custom CA', () => {
    expect(kafkaSecurity({ tls: { ca: undefined }, sasl: null })).toEqual({ ssl: { rejectUnauthorized: true } });
  });
});

describe('schema registry connection', () => {
  it('a plain URL is a connection without credentials; https trusts the system roots', () => {
    expect(registryConnectionOf('http://r:8081/apis/ccompat/v7')).toEqual({ url: 'http://r:8081/apis/ccompat/v7', auth: null, tls: null });
    expect(registryConnectionOf('https://r')).toEqual({ url: 'https://r', auth: null, tls: { ca: undefined } });
  });

  it('a refusal is STORE_AUTH_FAILED, not retriable, and says which setting to check', () => {
    const refused = registryAuthFailure('registering alerts.raw.v1-value', 401);
    expect([refused.code, refused.retriable]).toEqual(['STORE_AUTH_FAILED', false]);
    expect(refused.message).toContain('SCHEMA_REGISTRY_USERNAME');
    expect(registryAuthFailure('the connection', undefined).message).toContain('SCHEMA_REGISTRY_CA_FILE');
  });
});
