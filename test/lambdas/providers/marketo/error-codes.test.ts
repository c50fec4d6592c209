// The classification table on its own; the HTTP tests (client.test.ts) prove each row over the wire.
import { describe, expect, it } from 'vitest';
import {
  classify1029,
  classifyHttpStatus,
  classifyMarketoError,
  classifyTransportError,
} from '../../../../lambdas/providers/marketo/error-codes';

const now = new Date('2026-01-15T12:00:00Z');
const classify = (code: string, message = '') => classifyMarketoError(code, message, now, 300);

describe('classifyMarketoError', () => {
  it('601/602 → refresh the token', () => {
    expect(classify('601', 'Access token invalid').action).toBe('refresh-token');
    expect(classify('602', 'Access token expired').action).toBe('refresh-token');
  });

  it.each(['604', '608', '611', '713'])('%s → TransientApiError, retried', (code) => {
    const c = classify(code, 'x');
    expect(c.action).toBe('retry');
    if (c.action === 'retry') {
      expect(c.error.name).toBe('TransientApiError');
      expect(c.minDelayMs).toBeUndefined();
    }
  });

  it.each(['606', '615'])('%s → RateLimitedError, at least 20 s, safe to repeat', (code) => {
    const c = classify(code, 'x');
    expect(c).toMatchObject({ action: 'retry', minDelayMs: 20_000, maybeProcessed: false });
    if (c.action === 'retry') expect(c.error).toMatchObject({ name: 'RateLimitedError', retryAfterSeconds: 20, code });
  });

  it('607 → QuotaExceededError until Chicago midnight', () => {
    expect(classify('607', 'Daily quota reached')).toMatchObject({
      action: 'fail',
      error: { name: 'QuotaExceededError', resetAt: '2026-01-16T06:00:00Z', code: '607' },
    });
  });

  it('1029 has three meanings, told apart by message', () => {
    expect(classify1029('Too many jobs in queue')).toBe('queue-full');
    expect(classify1029('Export daily quota 500MB exceeded')).toBe('quota');
    expect(classify1029('Job already queued')).toBe('already-queued');
    expect(classify('1029', 'Too many jobs in queue')).toMatchObject({
      action: 'fail',
      error: { name: 'QueueFullError', retryAfterSeconds: 300 },
    });
    expect(classify('1029', 'Export daily quota 500MB exceeded')).toMatchObject({
      action: 'fail',
      error: { name: 'QuotaExceededError', resetAt: '2026-01-16T06:00:00Z' },
    });
    expect(classify('1029', 'Job already queued')).toEqual({ action: 'already-queued' });
    expect(classify('1029', 'Something new')).toMatchObject({
      action: 'fail',
      error: { name: 'ProviderApiError', code: '1029' },
    });
  });

  it.each(['1003', '9999', 'unknown'])('%s → ProviderApiError naming code and message', (code) => {
    const c = classify(code, 'Invalid value');
    expect(c).toMatchObject({ action: 'fail', error: { name: 'ProviderApiError', code, retryable: false } });
    if (c.action === 'fail') expect(c.error.message).toBe(`Marketo error ${code}: Invalid value`);
  });

  it('1035 → FilterNotSupportedError, not retryable, saying the filter is not available on this subscription', () => {
    const c = classify('1035', 'Unsupported filter type for target subscription: smartListName');
    expect(c).toMatchObject({
      action: 'fail',
      error: { name: 'FilterNotSupportedError', code: '1035', retryable: false },
    });
    if (c.action === 'fail')
      expect(c.error.message).toMatch(
        /^Marketo error 1035: Unsupported filter type for target subscription: smartListName \(the request's filter is not available on this Marketo subscription/,
      );
  });
});

describe('classifyHttpStatus / classifyTransportError', () => {
  it('5xx is transient, 429 is a rate limit, other 4xx is fatal', () => {
    expect(classifyHttpStatus(502, 'x')).toMatchObject({
      action: 'retry',
      error: { name: 'TransientApiError', code: 'http502' },
    });
    expect(classifyHttpStatus(500, 'x')).toMatchObject({
      action: 'retry',
      error: { name: 'TransientApiError', code: 'http500' },
    });
    expect(classifyHttpStatus(429, 'x')).toMatchObject({
      action: 'retry',
      minDelayMs: 20_000,
      error: { name: 'RateLimitedError' },
    });
    expect(classifyHttpStatus(400, 'x')).toMatchObject({
      action: 'fail',
      error: { name: 'ProviderApiError', code: 'http400' },
    });
  });

  it('a reset may have reached Marketo; a refused connection did not', () => {
    expect(
      classifyTransportError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'x'),
    ).toMatchObject({ action: 'retry', maybeProcessed: true });
    expect(classifyTransportError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'x')).toMatchObject({
      action: 'retry',
      maybeProcessed: false,
    });
  });
});
