// Closing a response body nobody will read.
import type { Readable } from 'node:stream';

/** Destroys an unread body; undici reports the abort as an 'error' event nobody else listens to, so swallow it. */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
