import { describe, expect, it } from 'vitest';
import { isLoopbackHostname, isSafeBaseUrl } from '../../../../lambdas/shared/http/loopback';

describe('loopback', () => {
  it('localhost, 127.0.0.0/8 and ::1 are loopback', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]', '::1'])
      expect(isLoopbackHostname(host), host).toBe(true);
  });

  it('other hosts are not', () => {
    for (const host of ['10.0.0.1', '128.0.0.1', 'localhost.example.test', '127.0.0.1.nip.test', '0.0.0.0', '[::2]']) {
      expect(isLoopbackHostname(host), host).toBe(false);
    }
  });

  it('plain http is safe only on loopback; https anywhere', () => {
    expect(isSafeBaseUrl(new URL('http://127.0.0.1:8080'))).toBe(true);
    expect(isSafeBaseUrl(new URL('http://[::1]:9'))).toBe(true);
    expect(isSafeBaseUrl(new URL('https://api.example.test'))).toBe(true);
    expect(isSafeBaseUrl(new URL('http://api.example.test'))).toBe(false);
    expect(isSafeBaseUrl(new URL('ftp://127.0.0.1'))).toBe(false);
  });
});
