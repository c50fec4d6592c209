import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { discardBody } from '../../../../lambdas/shared/http/discard-body';

describe('discardBody', () => {
  it('destroys the body, and an error it emits afterwards reaches nobody', async () => {
    const body = new PassThrough();
    body.write('unread');
    discardBody(body);
    expect(body.destroyed).toBe(true);
    // Without the listener discardBody adds, this emit would throw (an unhandled 'error' event).
    expect(() => body.emit('error', new Error('aborted'))).not.toThrow();
  });

  it('a body destroyed with an error does not crash the process', async () => {
    const body = new PassThrough();
    discardBody(body);
    body.destroy(new Error('late'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.listenerCount('error')).toBeGreaterThan(0);
  });
});
