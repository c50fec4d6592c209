import { describe, expect, it } from 'vitest';
import {
  checkContentRange,
  parseContentRange,
  parseUnsatisfiedRange,
  rangeHeader,
} from '../../../../lambdas/shared/http/content-range';

describe('Content-Range checks', () => {
  it('formats the Range header', () => {
    expect(rangeHeader({ start: 10 })).toBe('bytes=10-');
    expect(rangeHeader({ start: 10, endInclusive: 19 })).toBe('bytes=10-19');
  });

  it('parses bytes a-b/total and a-b/*', () => {
    expect(parseContentRange('bytes 0-9/100')).toEqual({ start: 0, endInclusive: 9, total: 100 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, endInclusive: 9 });
    expect(parseContentRange('bytes */100')).toBeUndefined();
    expect(parseContentRange(undefined)).toBeUndefined();
  });

  it('accepts exactly what was asked, or what was asked clipped at the end of the file', () => {
    expect(checkContentRange('GET /f', { start: 10 }, 'bytes 10-99/100', '90')).toEqual({
      start: 10,
      endInclusive: 99,
      total: 100,
    });
    expect(checkContentRange('GET /f', { start: 10, endInclusive: 19 }, 'bytes 10-19/100', '10').endInclusive).toBe(19);
    expect(
      checkContentRange('GET /f', { start: 90, endInclusive: 500 }, 'bytes 90-99/100', undefined).endInclusive,
    ).toBe(99);
  });

  it.each([
    [{ start: 10 }, 'bytes 0-99/100', '100', /starts elsewhere/],
    [{ start: 10 }, 'bytes 10-49/100', '40', /should end at byte 99/],
    [{ start: 10, endInclusive: 19 }, 'bytes 10-29/100', '20', /should end at byte 19/],
    [{ start: 10 }, 'bytes 10-99/100', '50', /Content-Length 50\): Content-Length disagrees/],
    [{ start: 10 }, 'bytes 10-100/100', undefined, /past the file/],
    [{ start: 10 }, undefined, '90', /Content-Range null/],
    [{ start: 10 }, 'items 10-99/100', '90', /Content-Range/],
  ])('refuses %j answered by %s', (asked, contentRange, length, message) => {
    expect(() => checkContentRange('GET /f', asked, contentRange, length)).toThrow(
      expect.objectContaining({ name: 'RangeMismatchError', message: expect.stringMatching(message) }),
    );
  });

  it('names the request first in every refusal', () => {
    expect(() => checkContentRange('GET https://files.test/a.csv', { start: 1 }, 'bytes 0-9/10', '10')).toThrow(
      /^GET https:\/\/files\.test\/a\.csv: asked bytes=1-/,
    );
  });

  it('reads the file size of a 416', () => {
    expect(parseUnsatisfiedRange('bytes */100')).toBe(100);
    expect(parseUnsatisfiedRange(' bytes */0 ')).toBe(0);
    expect(parseUnsatisfiedRange('bytes 0-9/100')).toBeUndefined();
    expect(parseUnsatisfiedRange(undefined)).toBeUndefined();
  });
});
