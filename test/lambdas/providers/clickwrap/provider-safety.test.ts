// What must never happen: requests to hosts we do not trust, the token outside the API, bad requests
// on the network, mangled filters.
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteFile } from '../../../../lambdas/providers/types';
import {
  AuthenticationError,
  ForbiddenLinkError,
  ProviderApiError,
  ValidationError,
} from '../../../../lambdas/shared/errors';
import { DAY, FIELDS, readAll, startHarness } from './support/harness';
import type { Harness } from './support/harness';

async function countingServer(
  handler?: (url: string, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    if (handler) return handler(req.url ?? '/', res);
    res.end('secret internal data');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

const closeServer = (s: Server) => {
  s.closeAllConnections();
  return new Promise<void>((resolve) => s.close(() => resolve()));
};

describe('clickwrap safety', () => {
  let h: Harness;
  let hostile: Awaited<ReturnType<typeof countingServer>>;
  let redirector: Awaited<ReturnType<typeof countingServer>>;
  let redirectTo = '';
  beforeAll(async () => {
    h = await startHarness();
    hostile = await countingServer();
    redirector = await countingServer((_url, res) => {
      res.writeHead(302, { location: redirectTo });
      res.end();
    });
  });
  afterAll(async () => {
    await Promise.all([h.sim.stop(), closeServer(hostile.server), closeServer(redirector.server)]);
  });

  it('refuses a task whose links point at a host not on the allowlist, without ever contacting it', async () => {
    h.sim.faults.hostileLinks = `${hostile.origin}/latest/meta-data`;
    const started = await h.provider.startJob(DAY, { fields: FIELDS });
    if (started.kind !== 'started') throw new Error('not started');
    h.advance(5000);
    await expect(h.provider.checkJob(started.job, 1)).rejects.toBeInstanceOf(ForbiddenLinkError);

    // A file that reaches openRange anyway (state edited, older code) is refused before connecting.
    const forged: RemoteFile = {
      index: 1,
      source: { kind: 'url', url: `${hostile.origin}/x.csv` },
      sendCredentials: true,
      rangeSupport: 'unknown',
      format: 'csv',
    };
    await expect(h.provider.openRange(forged, { start: 0 })).rejects.toThrow(/not allowed/);
    for (const url of ['https://169.254.169.254/latest/meta-data/', 'http://example.com/a.csv', 'file:///etc/passwd']) {
      await expect(
        h.provider.openRange({ ...forged, source: { kind: 'url', url } }, { start: 0 }),
      ).rejects.toBeInstanceOf(ForbiddenLinkError);
    }
    expect(hostile.hits()).toBe(0);
  });

  it('checks every redirect hop against the allowlist too', async () => {
    const { job, status } = await h.runToLinks({ fields: FIELDS });
    const real = status.files[0]!;
    if (real.source.kind !== 'url') throw new Error('expected url');
    const provider = h.makeProvider({
      request: { allowedLinkHosts: [new URL(h.sim.fileHostUrl).host, new URL(redirector.origin).host] },
    });
    const viaRedirect: RemoteFile = { ...real, source: { kind: 'url', url: `${redirector.origin}/go` } };

    redirectTo = real.source.url;
    expect(
      (await readAll((await provider.openRange(viaRedirect, { start: 0 })).body)).equals(h.sim.fileBytes(job.id, 1)),
    ).toBe(true);

    redirectTo = `${hostile.origin}/steal`;
    await expect(provider.openRange(viaRedirect, { start: 0 })).rejects.toBeInstanceOf(ForbiddenLinkError);
    expect(hostile.hits()).toBe(0);
    expect(redirector.hits()).toBe(2);
  });

  it('never sends the token to the file host, nor writes it into logs or errors', async () => {
    const { status } = await h.runToLinks({ fields: FIELDS });
    for (const file of status.files) await readAll((await h.provider.openRange(file, { start: 0 })).body);
    expect(h.sim.stats().authHeadersOnFileHost).toBe(0);
    expect(JSON.stringify(h.logger.lines)).not.toContain(h.sim.apiToken);
    // Pre-signed query strings stay out of logs as well.
    expect(JSON.stringify(h.logger.lines)).not.toContain('X-Signature');
  });

  it('keeps a truncated raw error body in the message, with the token blanked out', async () => {
    const body = JSON.stringify({
      error: 'Bad Request',
      message: `invalid filter near "<"; your token ${h.sim.apiToken} is fine`,
      padding: 'x'.repeat(5000),
    });
    h.sim.faults.errorNext = { status: 400, body, times: 1 };
    const error = await h.provider.startJob(DAY, { fields: FIELDS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderApiError);
    const message = (error as Error).message;
    expect(message).toContain('HTTP 400');
    expect(message).toContain('invalid filter near');
    expect(message).toContain('[redacted]');
    expect(message).not.toContain(h.sim.apiToken);
    expect(message.length).toBeLessThan(800);
  });

  it('names a rejected token AuthenticationError without repeating it', async () => {
    const bad = h.makeProvider(undefined, { apiToken: 'wrong-token-123', baseUrl: h.sim.baseUrl });
    const error = await bad.startJob(DAY, { fields: FIELDS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain('401');
    expect((error as Error).message).not.toContain('wrong-token-123');
  });

  it('rejects a request without the required fields (or with a bad window) before any network call', async () => {
    const { sim } = await startHarness();
    try {
      const provider = h.makeProvider(undefined, { apiToken: sim.apiToken, baseUrl: sim.baseUrl });
      await expect(provider.startJob(DAY, { fields: ['id', 'created_time', 'event_type'] })).rejects.toThrow(
        ValidationError,
      );
      await expect(provider.startJob(DAY, { fields: ['id', 'signer_id'], mode: 'list' })).rejects.toThrow(
        /created_time/,
      );
      await expect(provider.startJob({ start: DAY.end, end: DAY.start }, {})).rejects.toThrow(ValidationError);
      expect(() => provider.validate({ filter: 'created_time>=2020-01-01' })).toThrow(ValidationError);
      expect(sim.stats().total).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  it('refuses credentials that would send the token over plain http to a remote host', () => {
    expect(() => h.makeProvider(undefined, { apiToken: 't', baseUrl: 'http://api.pactsafe.com/v1.1' })).toThrow(
      /https/,
    );
    expect(() => h.makeProvider(undefined, { apiToken: '', baseUrl: h.sim.baseUrl })).toThrow(ValidationError);
  });

  it('encodes filter and fields so the API reads exactly what was meant', async () => {
    const week = { start: '2024-03-01T00:00:00Z', end: '2024-03-08T00:00:00Z' };
    const filter = 'signer_id==first.last+tag7@example.org and event_type!=sent';
    const fields = [...FIELDS, 'connection_data.page_url', 'custom_data.first_name'];
    const { job, status } = await h.runToLinks({ fields, filter }, week);
    const task = h.sim.tasks().find((t) => t.id === job.id);
    expect(task?.filter).toBe(`created_time>=2024-03-01T00:00:00Z and created_time<2024-03-08T00:00:00Z and ${filter}`);
    expect(task?.fields).toEqual(fields);
    const post = h.sim
      .requests()
      .filter((r) => r.path === '/tasks/export/activity')
      .at(-1);
    expect(post?.query).toEqual({ filter: task?.filter, fields: fields.join(','), no_count: 'true', lean: 'true' });

    const rows = parse(await readAll((await h.provider.openRange(status.files[0]!, { start: 0 })).body), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.signer_id).toBe('first.last+tag7@example.org');
      expect(row.event_type).not.toBe('sent');
    }
  });
});
