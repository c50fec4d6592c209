import { describe, expect, it } from 'vitest';
import {
  quoteProviderText,
  redact,
  redactDeep,
  redactError,
  registerSecret,
  registerSecretFields,
  registerUrlCredentials,
} from '../../../lambdas/shared/redact';
import { runWithLogKeys } from '../../../lambdas/shared/logger';
import { memoryLogger } from '../../support/memory-logger';

describe('redact', () => {
  it('blanks a registered secret wherever it appears, raw, URL-encoded and JSON-escaped', () => {
    const secret = 'c4n4ry/secret+value"x';
    registerSecret(secret);
    const text = `a ${secret} b ${encodeURIComponent(secret)} c ${JSON.stringify(secret)}`;
    const out = redact(text);
    expect(out).not.toContain('c4n4ry');
    expect(out.match(/\[redacted\]/g)?.length).toBe(3);
  });

  it('does not register values too short to be secrets (they would shred ordinary text)', () => {
    registerSecret('ab');
    registerSecret('');
    registerSecret(undefined);
    expect(redact('ab cab')).toBe('ab cab');
  });

  it('blanks bearer tokens, Authorization values and pre-signed query parameters without registration', () => {
    expect(redact('auth=Bearer cdf01657-110d-4155-99a7-f986b2ff13a0:ab done')).toBe('auth=Bearer [redacted] done');
    expect(redact('{"Authorization":"Basic dXNlcjpwYXNz"}')).toBe('{"Authorization":"Basic [redacted]"}');
    expect(redact('authorization: sk_live_123456')).toBe('authorization: [redacted]');
    const link =
      'https://bucket.s3.amazonaws.com/x.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=abcdef0123&X-Amz-Security-Token=tok';
    const out = redact(`GET ${link} failed`);
    expect(out).toBe(
      'GET https://bucket.s3.amazonaws.com/x.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted] failed',
    );
    expect(redact('https://cdn.example/a?Expires=1&Signature=zz9&Key-Pair-Id=K1')).toBe(
      'https://cdn.example/a?Expires=1&Signature=[redacted]&Key-Pair-Id=[redacted]',
    );
    expect(redact('https://x.blob.example/a?sv=1&sig=abc%3D&se=2')).toBe(
      'https://x.blob.example/a?sv=1&sig=[redacted]&se=2',
    );
    expect(redact('?client_id=id&client_secret=s3cr3t&token=t0k')).toBe(
      '?client_id=id&client_secret=[redacted]&token=[redacted]',
    );
    expect(redact('{"access_token":"zzz","expires_in":3600}')).toBe('{"access_token":"[redacted]","expires_in":3600}');
  });

  it('leaves ordinary text alone', () => {
    const text =
      'Marketo error 1003: Invalid activityTypeIds; marketo token refresh; a bearer token; Basic authentication; secret bulk-export/marketo is not valid JSON';
    expect(redact(text)).toBe(text);
  });

  it('quotes provider text redacted, flattened and cut to 300 characters', () => {
    registerSecret('canary-secret-1');
    const quoted = quoteProviderText(`line1\n  canary-secret-1 ${'x'.repeat(400)}`);
    expect(quoted.startsWith('line1 [redacted] xxx')).toBe(true);
    expect(quoted).toMatch(/… \(\d+ chars\)$/);
    expect(quoted.length).toBeLessThan(330);
  });

  it('redacts structures deeply (values, keys, errors) and blanks fields named like credentials', () => {
    registerSecret('canary-token-2');
    const out = redactDeep({
      a: ['canary-token-2'],
      nested: { error: new Error('for canary-token-2') },
      token: 'opaque',
      clientSecret: 'whatever',
      n: 1,
    });
    expect(out).toMatchObject({
      a: ['[redacted]'],
      nested: { error: { name: 'Error', message: 'for [redacted]' } },
      token: '[redacted]',
      clientSecret: '[redacted]',
      n: 1,
    });
    expect(JSON.stringify(out)).not.toContain('canary-token-2');
  });

  it('redacts a thrown error in place, keeping its class', () => {
    registerSecret('canary-token-3');
    class NamedError extends Error {
      override readonly name = 'NamedError';
    }
    const error = redactError(new NamedError('echo canary-token-3', { cause: new Error('and canary-token-3') }));
    expect(error).toBeInstanceOf(NamedError);
    expect(error.message).toBe('echo [redacted]');
    expect((error.cause as Error).message).toBe('and [redacted]');
    expect(error.stack).not.toContain('canary-token-3');
  });

  it('is applied by the logger to messages, fields and invocation keys', () => {
    registerSecret('canary-token-4');
    const logger = memoryLogger();
    runWithLogKeys({ window: 'canary-token-4' }, () =>
      logger.warn('saw canary-token-4', { body: 'Bearer abc.def.ghi', detail: { m: 'canary-token-4' } }),
    );
    expect(JSON.stringify(logger.lines)).not.toContain('canary-token-4');
    expect(logger.lines[0]).toEqual({
      level: 'warn',
      message: 'saw [redacted]',
      fields: { window: '[redacted]', body: 'Bearer [redacted]', detail: { m: '[redacted]' } },
    });
  });

  it('registers the credential fields of a connection secret, not its URL or id', () => {
    registerSecretFields({
      baseUrl: 'https://123-abc-456.example',
      clientId: 'client-id-1',
      clientSecret: 'canary-field-5',
      apiToken: 'canary-field-6',
    });
    expect(redact('https://123-abc-456.example client-id-1 canary-field-5 canary-field-6')).toBe(
      'https://123-abc-456.example client-id-1 [redacted] [redacted]',
    );
  });

  it('registers the signature values of a pre-signed link, so a bare echo of them is blanked', () => {
    registerUrlCredentials(
      new URL(
        'https://files.example/a.csv?X-Expires=1&X-Amz-Signature=canarysig77&X-Amz-Credential=canarycred88&part=1',
      ),
    );
    expect(redact('signature canarysig77 by canarycred88 (part 1, expires 1)')).toBe(
      'signature [redacted] by [redacted] (part 1, expires 1)',
    );
  });
});
