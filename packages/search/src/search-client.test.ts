import { describe, expect, it } from 'vitest';
import { searchClientOptions } from './search-client.ts';

describe('searchClientOptions', () => {
  it('a plain URL: the node as given, no ssl or auth options', () => {
    const options = searchClientOptions('http://127.0.0.1:9200');
    expect(options.node).toBe('http://127.0.0.1:9200');
    expect(options.ssl).toBeUndefined();
    expect(options.auth).toBeUndefined();
  });

  it('https with basic auth and a CA: credentials as auth, the chain verified against the CA', () => {
    const options = searchClientOptions({ url: 'https://search:9200', auth: { username: 'indexer', password: 'pw' }, tls: { ca: 'PEM' } });
    expect(options.node).toBe('https://search:9200');
    expect(options.auth).toEqual({ username: 'indexer', password: 'pw' });
    expect(options.ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
  });
});
