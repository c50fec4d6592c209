// A result set whose Sforce-NumberOfRecords disagrees with the records it holds: fetched again by its
// locator; when it disagrees every time, the read fails by name (RecordCountMismatchError, fatal) and
// not one byte of the set was passed on. A proxy in front of the simulator tampers with the header.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createSalesforceProvider } from '../../../../lambdas/providers/salesforce';
import type { RemoteFile } from '../../../../lambdas/providers/types';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { readAll, REQUEST, salesforceHarness, type SalesforceHarness } from './harness';

let h: SalesforceHarness | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await h?.close();
  h = proxy = undefined;
});

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Forwards to `target`; the second set's stated count is one more than it holds, `times` times. */
async function miscountingProxy(target: string, times: number): Promise<{ origin: string; tampered: () => number }> {
  let tampered = 0;
  proxy = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const { host: _host, ...headers } = req.headers;
      const up = await request(`${target}${req.url ?? '/'}`, {
        method: (req.method ?? 'GET') as 'GET',
        headers: headers as Record<string, string>,
        ...(body.length > 0 ? { body } : {}),
      });
      const out = { ...up.headers } as Record<string, string>;
      if (/\/results\?/.test(req.url ?? '') && /locator=/.test(req.url ?? '') && tampered < times) {
        tampered += 1;
        out['sforce-numberofrecords'] = String(Number(out['sforce-numberofrecords']) + 1);
      }
      res.writeHead(up.statusCode, out);
      res.end(Buffer.from(await up.body.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, tampered: () => tampered };
}

async function fileThroughProxy(times: number) {
  h = await salesforceHarness();
  const job = await h.started();
  const status = await h.runToEnd(job);
  const tamper = await miscountingProxy(h.sim.baseUrl, times);
  const provider = createSalesforceProvider(
    { instanceUrl: tamper.origin, clientId: h.sim.clientId, clientSecret: h.sim.clientSecret },
    { clock: h.clock, logger: silentLogger },
    { request: REQUEST },
  );
  return { provider, file: status.files[0] as RemoteFile, tamper, direct: h.provider };
}

describe('a miscounted result set', () => {
  it('once: fetched again by its locator, and the file is whole', async () => {
    const { provider, file, tamper, direct } = await fileThroughProxy(1);
    const body = await readAll((await provider.openRange(file, { start: 0 })).body);
    expect(tamper.tampered()).toBe(1);
    expect(body.equals(await readAll((await direct.openRange(file, { start: 0 })).body))).toBe(true);
    await provider.close();
  });

  it('every time: RecordCountMismatchError naming the set, after the bytes of the sets before it only', async () => {
    const { provider, file } = await fileThroughProxy(Number.POSITIVE_INFINITY);
    const opened = await provider.openRange(file, { start: 0 });
    const got: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of opened.body) got.push(Buffer.from(chunk as Uint8Array));
      })(),
    ).rejects.toMatchObject({ name: 'RecordCountMismatchError', message: expect.stringMatching(/result set 2/) });
    // The first set (header and 40 records) went on; nothing of the second did.
    const text = Buffer.concat(got).toString();
    expect(text.match(/"001\d{12}AAA"/g)).toHaveLength(40);
    await provider.close();
  });
});
