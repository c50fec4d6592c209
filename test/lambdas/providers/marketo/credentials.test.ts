import { describe, expect, it } from 'vitest';
import { parseMarketoCredentials } from '../../../../lambdas/providers/marketo/credentials';

const ok = { baseUrl: 'https://123-ABC-456.mktorest.com', clientId: 'id', clientSecret: 'very-secret-value' };

describe('parseMarketoCredentials', () => {
  it('accepts https, and plain http only on loopback hosts', () => {
    expect(parseMarketoCredentials(ok).baseUrl).toBe('https://123-abc-456.mktorest.com');
    expect(parseMarketoCredentials({ ...ok, baseUrl: 'https://123-ABC-456.mktorest.com/' }).baseUrl).toBe(
      'https://123-abc-456.mktorest.com',
    );
    for (const host of ['127.0.0.1:8080', 'localhost:1', '[::1]:9'])
      expect(() => parseMarketoCredentials({ ...ok, baseUrl: `http://${host}` })).not.toThrow();
    for (const bad of [
      'http://123-ABC-456.mktorest.com',
      'http://10.0.0.1',
      'ftp://x',
      'not a url',
      'https://x.mktorest.com/rest',
      'https://u:p@x.mktorest.com',
    ]) {
      expect(() => parseMarketoCredentials({ ...ok, baseUrl: bad }), bad).toThrow(
        expect.objectContaining({ name: 'ValidationError', field: 'credentials.baseUrl' }),
      );
    }
  });

  it('names a missing field but never echoes the secret', () => {
    expect(() => parseMarketoCredentials({ ...ok, clientId: '' })).toThrow(
      expect.objectContaining({ field: 'credentials.clientId' }),
    );
    expect(() => parseMarketoCredentials({ baseUrl: ok.baseUrl, clientId: 'id' })).toThrow(
      expect.objectContaining({ field: 'credentials.clientSecret' }),
    );
    try {
      parseMarketoCredentials({ ...ok, baseUrl: 'http://evil.example', clientSecret: ok.clientSecret });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(ok.clientSecret);
    }
    expect(() => parseMarketoCredentials('x')).toThrow(expect.objectContaining({ field: 'credentials' }));
  });
});
