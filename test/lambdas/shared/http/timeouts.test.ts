import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_TIMEOUTS, undiciTimeouts } from '../../../../lambdas/shared/http/timeouts';

describe('HTTP timeouts', () => {
  it('maps to the options undici takes', () => {
    expect(undiciTimeouts({ connectMs: 1, headersMs: 2, bodyMs: 3, keepAliveMs: 4 })).toEqual({
      connectTimeout: 1,
      headersTimeout: 2,
      bodyTimeout: 3,
      keepAliveTimeout: 4,
    });
  });

  it('keeps idle sockets for less time than a server typically does, and bounds every phase', () => {
    expect(DEFAULT_HTTP_TIMEOUTS.keepAliveMs).toBeLessThan(5_000);
    for (const ms of Object.values(DEFAULT_HTTP_TIMEOUTS)) expect(ms).toBeGreaterThan(0);
  });
});
