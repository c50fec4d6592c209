import { describe, expect, it } from 'vitest';
import { assertAllowListFitsApi, assertLinkAllowed } from '../../../../lambdas/providers/clickwrap/link-policy';
import { redactUrl } from '../../../../lambdas/shared/http/redact-url';
import { ForbiddenLinkError, ValidationError } from '../../../../lambdas/shared/errors';

const publicApi = {
  apiBaseUrl: new URL('https://api.pactsafe.com/v1.1'),
  allowedHosts: ['*.amazonaws.com', 'files.example.com'],
};
const localApi = { apiBaseUrl: new URL('http://127.0.0.1:4000/v1.1'), allowedHosts: ['127.0.0.1:5000'] };

describe('link policy', () => {
  it.each([
    'https://bucket.s3.amazonaws.com/export/1.csv?X-Amz-Signature=abc',
    'https://files.example.com/1.csv',
    'https://api.pactsafe.com/v1.1/download/1',
    '/v1.1/download/relative',
  ])('allows %s with a public API', (link) => {
    expect(() => assertLinkAllowed(link, publicApi)).not.toThrow();
  });

  it.each([
    ['http://bucket.s3.amazonaws.com/1.csv', 'not https'],
    ['https://amazonaws.com.evil.net/1.csv', 'not allowed'],
    ['https://evil-amazonaws.com/1.csv', 'not allowed'],
    ['https://169.254.169.254/latest/meta-data/', 'not allowed'],
    ['http://127.0.0.1:5000/1.csv', 'loopback'],
    ['https://localhost/1.csv', 'loopback'],
    ['https://user:pw@files.example.com/1.csv', 'credentials'],
    ['ftp://files.example.com/1.csv', 'not https'],
    ['file:///etc/passwd', 'not https'],
  ])('refuses %s (%s)', (link, why) => {
    expect(() => assertLinkAllowed(link, publicApi)).toThrow(ForbiddenLinkError);
    expect(() => assertLinkAllowed(link, publicApi)).toThrow(why);
  });

  it('with a loopback API, allows plain http only to listed loopback hosts', () => {
    expect(() => assertLinkAllowed('http://127.0.0.1:5000/f/1.csv', localApi)).not.toThrow();
    expect(() => assertLinkAllowed('http://127.0.0.1:4000/v1.1/x', localApi)).not.toThrow();
    expect(() => assertLinkAllowed('http://127.0.0.1:5001/f/1.csv', localApi)).toThrow(ForbiddenLinkError);
    expect(() => assertLinkAllowed('http://files.example.com/1.csv', localApi)).toThrow('not https');
  });

  it('a loopback entry without a port (a demo config against the simulator) allows any port, only for a loopback API', () => {
    const demo = { apiBaseUrl: new URL('http://127.0.0.1:4000/v1.1'), allowedHosts: ['127.0.0.1', '*.amazonaws.com'] };
    expect(() => assertLinkAllowed('http://127.0.0.1:5123/f/1.csv', demo)).not.toThrow();
    expect(() =>
      assertLinkAllowed('http://127.0.0.1:5123/f/1.csv', {
        ...demo,
        apiBaseUrl: new URL('https://api.pactsafe.com/v1.1'),
      }),
    ).toThrow('loopback');
  });

  it('never shows a query string (pre-signed signatures are credentials)', () => {
    expect(redactUrl('https://b.s3.amazonaws.com/k.csv?X-Amz-Signature=secret')).toBe(
      'https://b.s3.amazonaws.com/k.csv',
    );
    try {
      assertLinkAllowed('https://evil.example.net/k.csv?sig=secret', publicApi);
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
  });

  it('takes loopback allow-list entries only when the API itself is loopback', () => {
    expect(() => assertAllowListFitsApi(localApi)).not.toThrow();
    for (const host of ['127.0.0.1:5000', 'localhost', '[::1]:8080']) {
      const policy = { ...publicApi, allowedHosts: ['files.example.com', host] };
      expect(() => assertAllowListFitsApi(policy)).toThrow(ValidationError);
      expect(() => assertAllowListFitsApi(policy)).toThrow(
        /^allowedLinkHosts\[1\]: .* is a loopback host, allowed only when the API itself is loopback/,
      );
    }
    expect(() => assertAllowListFitsApi(publicApi)).not.toThrow();
  });
});
