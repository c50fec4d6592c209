import { describe, expect, it } from 'vitest';
import { parseWaitDuration } from '../../../local/cli/wait-duration';

describe('parseWaitDuration (--max-wait)', () => {
  it.each([
    ['90s', 90],
    ['5m', 300],
    ['1.5h', 5400],
    ['1d', 86_400],
    ['45', 45],
    ['0', 0],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseWaitDuration(text)).toBe(seconds);
  });

  it.each(['', 'soon', '5 minutes', '-5m', '5w', 'm'])('refuses %j', (text) => {
    expect(parseWaitDuration(text)).toBeUndefined();
  });
});
