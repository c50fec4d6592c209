import { describe, expect, it } from 'vitest';
import { notDataReason } from '../../../../lambdas/shared/http/data-content-type';

describe('notDataReason', () => {
  it('refuses web pages and JSON as file bodies', () => {
    expect(notDataReason('text/html; charset=utf-8')).toBe('answered text/html instead of the file');
    expect(notDataReason('application/xhtml+xml')).toBe('answered application/xhtml+xml instead of the file');
    expect(notDataReason('application/json')).toBe('answered application/json instead of the file');
    expect(notDataReason('application/problem+json')).toBe('answered application/problem+json instead of the file');
  });

  it('lets the types files come with pass, and a missing type', () => {
    for (const type of [
      'text/csv',
      'text/csv; charset=utf-8',
      'text/plain',
      'application/octet-stream',
      'binary/octet-stream',
      undefined,
    ]) {
      expect(notDataReason(type)).toBeUndefined();
    }
  });
});
