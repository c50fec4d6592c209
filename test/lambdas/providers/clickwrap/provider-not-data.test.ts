// A link that answers a web page (a maintenance or login page) with HTTP 200 is not the file: it is
// refused before a byte of it can land, as a transient failure the state machine retries.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteFile } from '../../../../lambdas/providers/types';
import { TransientApiError } from '../../../../lambdas/shared/errors';
import { startHarness, type Harness } from './support/harness';

describe('clickwrap link answering something that is not the file', () => {
  let h: Harness;
  let server: Server;
  let host = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/page')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><body>Down for maintenance</body></html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"error":"AccessDenied"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    h = await startHarness();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await Promise.all([h.sim.stop(), new Promise<void>((resolve) => server.close(() => resolve()))]);
  });

  it.each([
    ['an HTML page', '/page.csv', 'text/html'],
    ['a JSON error', '/error.csv', 'application/json'],
  ])('refuses %s with HTTP 200 as a transient error naming the type', async (_what, path, type) => {
    const provider = h.makeProvider({ request: { allowedLinkHosts: [host] } });
    const file: RemoteFile = {
      index: 1,
      source: { kind: 'url', url: `http://${host}${path}` },
      sendCredentials: false,
      rangeSupport: 'unknown',
      format: 'csv',
    };
    const open = provider.openRange(file, { start: 0 });
    await expect(open).rejects.toBeInstanceOf(TransientApiError);
    await expect(open).rejects.toThrow(`answered ${type} instead of the file`);
  });
});
