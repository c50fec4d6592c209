import { describe, expect, it } from 'vitest';
import { contentLengthOf, firstHeader } from '../../../../lambdas/shared/http/header';

describe('response headers', () => {
  it('a repeated header reads as its first value', () => {
    expect(firstHeader({ 'set-cookie': ['a=1', 'b=2'] }, 'set-cookie')).toBe('a=1');
    expect(firstHeader({ 'content-type': 'text/csv' }, 'content-type')).toBe('text/csv');
    expect(firstHeader({}, 'content-type')).toBeUndefined();
  });

  it('Content-Length counts only when it is a plain byte count', () => {
    expect(contentLengthOf({ 'content-length': '1024' })).toBe(1024);
    expect(contentLengthOf({ 'content-length': '0' })).toBe(0);
    for (const bad of ['-1', '1e3', '12 ', '', 'abc'])
      expect(contentLengthOf({ 'content-length': bad }), bad).toBeUndefined();
    expect(contentLengthOf({})).toBeUndefined();
  });
});
