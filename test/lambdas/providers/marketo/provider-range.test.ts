// openRange over real HTTP: Range/Content-Range checks, a server that ignores Range, 404 before the
// file exists, 416, transient failures before the body, and a token that expires mid-download.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMarketoProvider } from '../../../../lambdas/providers/marketo';
import { CallLimiter } from '../../../../lambdas/providers/marketo/call-limiter';
import type { RemoteFile } from '../../../../lambdas/providers/types';
import { silentLogger } from '../../../../lambdas/shared/logger';
import {
  closeAllAfterTests,
  harness,
  readAll,
  readUntilError,
  runToEnd,
  WINDOW,
  type Harness,
} from './support/harness';
import { ManualClock } from './support/manual-clock';
import { startStubMarketo, success } from './support/stub-marketo';

closeAllAfterTests();

async function completedFile(h: Harness): Promise<{ file: RemoteFile; whole: Buffer }> {
  const started = await h.provider.startJob(WINDOW, { format: 'CSV' });
  if (started.kind !== 'started') throw new Error('not started');
  const status = await runToEnd(h, started.job.id);
  const file = status.files[0];
  if (!file) throw new Error('no file');
  const whole = await readAll(h.sim.fileStream(started.job.id));
  h.clock.sleeps.length = 0;
  return { file, whole };
}

describe('Marketo provider: openRange', () => {
  it('206 with a matching Content-Range: exactly the bytes asked for', async () => {
    const h = await harness();
    const { file, whole } = await completedFile(h);
    expect(whole.length).toBe(file.size);
    const middle = await h.provider.openRange(file, { start: 100, endInclusive: 1099 });
    expect(middle).toMatchObject({ ranged: true, start: 100, totalSize: whole.length });
    expect((await readAll(middle.body)).equals(whole.subarray(100, 1100))).toBe(true);
    const tail = await h.provider.openRange(file, { start: whole.length - 10 });
    expect((await readAll(tail.body)).equals(whole.subarray(whole.length - 10))).toBe(true);
  });

  it('a server that ignores Range: ranged false, start 0, the whole file', async () => {
    const h = await harness();
    const { file, whole } = await completedFile(h);
    h.sim.faults.ignoreRange = true;
    const opened = await h.provider.openRange(file, { start: 500 });
    expect(opened).toMatchObject({ ranged: false, start: 0, totalSize: whole.length });
    expect((await readAll(opened.body)).equals(whole)).toBe(true);
  });

  it('404 plain text before the job completes → FileNotReadyError, not retried', async () => {
    const h = await harness();
    const started = await h.provider.startJob(WINDOW, {});
    if (started.kind !== 'started') throw new Error('not started');
    const early: RemoteFile = {
      index: 1,
      source: { kind: 'api', path: `/bulk/v1/activities/export/${started.job.id}/file.json` },
      sendCredentials: true,
      rangeSupport: 'yes',
      format: 'csv',
    };
    await expect(h.provider.openRange(early, { start: 0 })).rejects.toMatchObject({
      name: 'FileNotReadyError',
      retryable: true,
    });
    expect(h.sim.stats().byKind.file).toBe(1);
  });

  it('416 when asking past the end of a file of unknown size → RangeMismatchError', async () => {
    const h = await harness();
    const { file, whole } = await completedFile(h);
    const unsized: RemoteFile = { ...file, size: undefined };
    await expect(h.provider.openRange(unsized, { start: whole.length + 5 })).rejects.toMatchObject({
      name: 'RangeMismatchError',
      message: expect.stringContaining(`Content-Range bytes */${whole.length}`),
    });
    expect(h.sim.stats().byKind.file).toBe(1);
  });

  it('start === size is an empty range without a call; start > size is refused without a call', async () => {
    const h = await harness();
    const { file } = await completedFile(h);
    const size = file.size ?? 0;
    const calls = h.sim.stats().byKind.file ?? 0;
    const empty = await h.provider.openRange(file, { start: size });
    expect(empty).toMatchObject({ ranged: true, start: size, totalSize: size });
    expect((await readAll(empty.body)).length).toBe(0);
    await expect(h.provider.openRange(file, { start: size + 1 })).rejects.toMatchObject({ name: 'RangeMismatchError' });
    expect(h.sim.stats().byKind.file ?? 0).toBe(calls);
  });

  it('a file whose served size contradicts its status → RangeMismatchError', async () => {
    const h = await harness();
    const { file } = await completedFile(h);
    await expect(h.provider.openRange({ ...file, size: (file.size ?? 0) + 1 }, { start: 0 })).rejects.toMatchObject({
      name: 'RangeMismatchError',
    });
  });

  it('transient failures before the body (reset, 502) are retried with backoff', async () => {
    const h = await harness();
    const { file, whole } = await completedFile(h);
    h.sim.faults.injectErrors = [
      { code: 'reset', times: 1, kinds: ['file'] },
      { code: 'http502', times: 1, kinds: ['file'] },
    ];
    const opened = await h.provider.openRange(file, { start: 0 });
    expect((await readAll(opened.body)).equals(whole)).toBe(true);
    expect(h.clock.sleeps).toEqual([500, 1000]);
    expect(h.sim.stats().byKind.file).toBe(3);
  });

  it('token expiry in the middle of a ranged download: the resume refreshes the token and the bytes join up exactly', async () => {
    const h = await harness({ tokenTtlSeconds: 3600 });
    const { file, whole } = await completedFile(h);
    h.sim.faults.dropConnectionAfterBytes = { afterBytes: 5_000, times: 1 };
    const first = await h.provider.openRange(file, { start: 0 });
    const cut = await readUntilError(first.body);
    expect(cut.error).toBeDefined();
    expect(cut.bytes.length).toBeGreaterThan(0);
    expect(cut.bytes.length).toBeLessThan(whole.length);

    // Meanwhile the token expires: the file endpoint answers HTTP 200 with a JSON 602 body, not the file.
    h.sim.expireTokens();
    const tokensBefore = h.sim.stats().byKind.token ?? 0;
    const rest = await h.provider.openRange(file, { start: cut.bytes.length });
    expect(rest).toMatchObject({ ranged: true, start: cut.bytes.length, totalSize: whole.length });
    const joined = Buffer.concat([cut.bytes, await readAll(rest.body)]);
    expect(joined.equals(whole)).toBe(true);
    expect(createHash('sha256').update(joined).digest('hex')).toBe(file.sha256);
    expect(h.sim.stats().byKind.token).toBe(tokensBefore + 1);
    expect(h.sim.stats().byKind.file).toBe(3); // cut, 602, resumed
  });

  it('every Range request is an API call through the limiter: it holds a concurrency slot until its body closes', async () => {
    const h = await harness();
    const { file } = await completedFile(h);
    const single = h.providerWith({
      limiter: new CallLimiter(h.clock, { calls: 100, windowMs: 20_000, concurrent: 1 }),
    });
    await single.checkJob({ id: file.source.kind === 'api' ? (file.source.path.split('/')[5] ?? '') : '' }, 0); // token fetched
    const opened = await single.openRange(file, { start: 0 });
    let polled = false;
    const poll = single
      .checkJob({ id: file.source.kind === 'api' ? (file.source.path.split('/')[5] ?? '') : '' }, 0)
      .then(() => (polled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(polled).toBe(false);
    opened.body.on('error', () => undefined);
    opened.body.destroy();
    await poll;
    expect(polled).toBe(true);
  });

  it('refuses to send credentials anywhere but a bulk file path of this instance', async () => {
    const h = await harness();
    const { file } = await completedFile(h);
    await expect(
      h.provider.openRange({ ...file, source: { kind: 'url', url: 'https://evil.example/x' } }, { start: 0 }),
    ).rejects.toMatchObject({ name: 'ForbiddenLinkError' });
    await expect(
      h.provider.openRange({ ...file, source: { kind: 'api', path: '/rest/v1/leads.json' } }, { start: 0 }),
    ).rejects.toMatchObject({ name: 'ForbiddenLinkError' });
    await expect(h.provider.openRange(file, { start: -1 })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'range.start',
    });
    await expect(h.provider.openRange(file, { start: 10, endInclusive: 5 })).rejects.toMatchObject({
      field: 'range.endInclusive',
    });
  });

  describe('against a server that answers the wrong span', () => {
    it.each([
      ['starts elsewhere', 'bytes 0-99/100', 100],
      ['ends early', 'bytes 10-49/100', 40],
      ['is missing', undefined, 90],
    ])('Content-Range that %s → RangeMismatchError', async (_what, contentRange, length) => {
      const stub = await startStubMarketo();
      const provider = createMarketoProvider(
        { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
        { clock: new ManualClock(), logger: silentLogger },
      );
      try {
        stub.route('GET /bulk/v1/activities/export/j1/file.json', (_q, res) => {
          res.writeHead(206, {
            'content-type': 'text/csv',
            'content-length': length,
            ...(contentRange ? { 'content-range': contentRange } : {}),
          });
          res.end(Buffer.alloc(length, 0x61));
        });
        const file: RemoteFile = {
          index: 1,
          source: { kind: 'api', path: '/bulk/v1/activities/export/j1/file.json' },
          sendCredentials: true,
          rangeSupport: 'yes',
          format: 'csv',
        };
        await expect(provider.openRange(file, { start: 10 })).rejects.toMatchObject({ name: 'RangeMismatchError' });
        expect(stub.calls.filter((c) => c.path.endsWith('file.json'))).toHaveLength(1);
        expect(stub.calls.at(-1)?.headers.range).toBe('bytes=10-');
        expect(stub.calls.at(-1)?.headers.authorization).toBe('Bearer stub-token');
      } finally {
        await provider.close();
        await stub.stop();
      }
    });

    it('a JSON success body on the file endpoint is not taken for the file', async () => {
      const stub = await startStubMarketo();
      const provider = createMarketoProvider(
        { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
        { clock: new ManualClock(), logger: silentLogger },
      );
      try {
        stub.route('GET /bulk/v1/activities/export/j1/file.json', (_q, res) => success(res, []));
        const file: RemoteFile = {
          index: 1,
          source: { kind: 'api', path: '/bulk/v1/activities/export/j1/file.json' },
          sendCredentials: true,
          rangeSupport: 'yes',
          format: 'csv',
        };
        await expect(provider.openRange(file, { start: 0 })).rejects.toMatchObject({
          name: 'ProviderApiError',
          message: expect.stringContaining('JSON instead of the file'),
        });
      } finally {
        await provider.close();
        await stub.stop();
      }
    });
  });
});
