import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../../lambdas/shared/http/redact-url';

describe('redactUrl', () => {
  it('keeps protocol, host and path; drops query, fragment and user info', () => {
    expect(redactUrl('https://b.s3.test/k.csv?X-Amz-Signature=secret#frag')).toBe('https://b.s3.test/k.csv');
    expect(redactUrl(new URL('https://user:pass@api.test:8443/v1/x'))).toBe('https://api.test:8443/v1/x');
  });

  it('an unparseable URL is never echoed', () => {
    expect(redactUrl('not a url ?token=secret')).toBe('<unparseable URL>');
  });
});
