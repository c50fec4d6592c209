import { describe, expect, it } from 'vitest';
import { classifyTransportError } from '../../../../lambdas/providers/marketo/error-codes';
import { TlsVerificationError, TransientApiError } from '../../../../lambdas/shared/errors';
import { tlsVerificationCode } from '../../../../lambdas/shared/http/tls';

const failure = (code: string) => Object.assign(new Error(`request failed: ${code}`), { code });

describe('TLS verification failures', () => {
  it('are recognised by code, also as the cause of a wrapped error', () => {
    expect(tlsVerificationCode(failure('CERT_HAS_EXPIRED'))).toBe('CERT_HAS_EXPIRED');
    expect(tlsVerificationCode(new Error('fetch failed', { cause: failure('DEPTH_ZERO_SELF_SIGNED_CERT') }))).toBe(
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
    expect(tlsVerificationCode(failure('ECONNRESET'))).toBeUndefined();
    expect(tlsVerificationCode('nope')).toBeUndefined();
  });

  it('are never retried by the Marketo client, while resets are', () => {
    const tls = classifyTransportError(failure('ERR_TLS_CERT_ALTNAME_INVALID'), 'status call');
    expect(tls.action).toBe('fail');
    expect(tls.error).toBeInstanceOf(TlsVerificationError);
    expect(tls.error.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(tls.error.retryable).toBe(false);
    const reset = classifyTransportError(failure('ECONNRESET'), 'status call');
    expect(reset.action).toBe('retry');
    expect(reset.error).toBeInstanceOf(TransientApiError);
  });
});
