// Export-task mode over real HTTP against the simulator: several links, Range, expiry, link shapes.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteFile } from '../../../../lambdas/providers/types';
import { LinkExpiredError, RangeMismatchError } from '../../../../lambdas/shared/errors';
import { FIELDS, readAll, startHarness } from './support/harness';
import type { Harness } from './support/harness';

function urlOf(file: RemoteFile | undefined): string {
  if (!file || file.source.kind !== 'url') throw new Error('expected a url file');
  return file.source.url;
}

describe('clickwrap export task', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  it('polls a task to several links, each its own CSV with its own header, fetched without the token', async () => {
    const started = await h.provider.startJob(
      { start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' },
      { fields: FIELDS },
    );
    if (started.kind !== 'started') throw new Error('not started');
    expect(started.job.createdAt).toBe('2024-03-10T12:00:00.000Z');
    expect(started.pollAfterSeconds).toBeGreaterThanOrEqual(30);

    const pending = await h.provider.checkJob(started.job, 0);
    expect(pending).toMatchObject({ state: 'queued', files: [], providerStatus: 'pending' });
    expect(pending.nextPollSeconds).toBeGreaterThanOrEqual(30);
    expect(pending.nextPollSeconds).toBeLessThanOrEqual(60);
    h.advance(2500);
    expect((await h.provider.checkJob(started.job, 1)).state).toBe('running');
    h.advance(2500);
    const done = await h.provider.checkJob(started.job, 2);
    expect(done.state).toBe('succeeded');
    expect(done.providerStatus).toBe('completed');

    // 120 activities a day, 50 rows a file.
    expect(done.files.map((f) => f.index)).toEqual([1, 2, 3]);
    let rows = 0;
    for (const file of done.files) {
      expect(file).toMatchObject({ sendCredentials: false, rangeSupport: 'unknown', format: 'csv' });
      expect(file.size).toBeUndefined();
      expect(urlOf(file).startsWith(h.sim.fileHostUrl)).toBe(true);
      const opened = await h.provider.openRange(file, { start: 0 });
      expect(opened.ranged).toBe(true);
      const bytes = await readAll(opened.body);
      expect(bytes.equals(h.sim.fileBytes(started.job.id, file.index))).toBe(true);
      expect(opened.totalSize).toBe(bytes.length);
      const records = parse(bytes) as string[][];
      expect(records[0]).toEqual(FIELDS);
      rows += records.length - 1;
    }
    expect(rows).toBe(120);
    expect(h.sim.stats().authHeadersOnFileHost).toBe(0);
    expect(h.sim.stats().byPath['POST /tasks/export/activity']).toBe(1);
  });

  it('asks for byte ranges and checks the answer', async () => {
    const { job, status } = await h.runToLinks({ fields: FIELDS });
    const file = status.files[0];
    if (!file) throw new Error('no file');
    const whole = h.sim.fileBytes(job.id, 1);

    const middle = await h.provider.openRange(file, { start: 100, endInclusive: 199 });
    expect(middle).toMatchObject({ ranged: true, start: 100, totalSize: whole.length });
    expect((await readAll(middle.body)).equals(whole.subarray(100, 200))).toBe(true);

    const tail = await h.provider.openRange(file, { start: whole.length - 10 });
    expect((await readAll(tail.body)).equals(whole.subarray(whole.length - 10))).toBe(true);

    const atEnd = await h.provider.openRange(file, { start: whole.length });
    expect(atEnd).toMatchObject({ ranged: true, start: whole.length, totalSize: whole.length });
    expect((await readAll(atEnd.body)).length).toBe(0);

    await expect(h.provider.openRange(file, { start: whole.length + 5 })).rejects.toBeInstanceOf(RangeMismatchError);

    h.sim.faults.wrongContentRange = true;
    try {
      await expect(h.provider.openRange(file, { start: 10 })).rejects.toThrow(/Content-Range "bytes 11-/);
    } finally {
      h.sim.faults.wrongContentRange = false;
    }
  });

  it('refreshes an expired link by polling the task again', async () => {
    const { job, status } = await h.runToLinks({ fields: FIELDS });
    const file = status.files[1];
    if (!file || !h.provider.refreshFile) throw new Error('no file or no refreshFile');

    h.sim.faults.expireLinksNow();
    await expect(h.provider.openRange(file, { start: 0 })).rejects.toBeInstanceOf(LinkExpiredError);
    const fresh = await h.provider.refreshFile(job, file);
    expect(fresh.index).toBe(2);
    expect(urlOf(fresh)).not.toBe(urlOf(file));
    expect(
      (await readAll((await h.provider.openRange(fresh, { start: 0 })).body)).equals(h.sim.fileBytes(job.id, 2)),
    ).toBe(true);

    // Links also die of old age (15 min by default).
    h.advance(16 * 60_000);
    await expect(h.provider.openRange(fresh, { start: 5 })).rejects.toThrow(/403.*expired/);
    const again = await h.provider.refreshFile(job, fresh);
    expect(
      (await readAll((await h.provider.openRange(again, { start: 5 })).body)).equals(
        h.sim.fileBytes(job.id, 2).subarray(5),
      ),
    ).toBe(true);
  });

  it.each(['url', 'href'] as const)('reads links given as objects with %s', async (style) => {
    h.sim.faults.linkStyle = style;
    try {
      const { job, status } = await h.runToLinks({ fields: FIELDS });
      expect(status.files).toHaveLength(3);
      expect(
        (await readAll((await h.provider.openRange(status.files[2]!, { start: 0 })).body)).equals(
          h.sim.fileBytes(job.id, 3),
        ),
      ).toBe(true);
    } finally {
      delete h.sim.faults.linkStyle;
    }
  });

  it('sends the token with links on the API host itself (and only there)', async () => {
    h.sim.faults.linksOnApiHost = true;
    try {
      const { job, status } = await h.runToLinks({ fields: FIELDS });
      const file = status.files[0]!;
      expect(file.sendCredentials).toBe(true);
      expect(urlOf(file).startsWith(h.sim.baseUrl)).toBe(true);
      expect(
        (await readAll((await h.provider.openRange(file, { start: 3 })).body)).equals(
          h.sim.fileBytes(job.id, 1).subarray(3),
        ),
      ).toBe(true);
      // A file claiming credentials but pointing at the file host still gets none.
      const { status: other } = await (async () => {
        h.sim.faults.linksOnApiHost = false;
        return h.runToLinks({ fields: FIELDS });
      })();
      await readAll((await h.provider.openRange({ ...other.files[0]!, sendCredentials: true }, { start: 0 })).body);
      expect(h.sim.stats().authHeadersOnFileHost).toBe(0);
    } finally {
      h.sim.faults.linksOnApiHost = false;
    }
  });

  it('reports a failed task with its message', async () => {
    h.sim.faults.failNextTask = 'export query timed out';
    const { status } = await h.runToLinks({ fields: FIELDS });
    expect(status).toMatchObject({
      state: 'failed',
      files: [],
      providerStatus: 'failed',
      message: 'export query timed out',
    });
  });

  it('resumes an existing task instead of creating another, and cancel is a harmless no-op', async () => {
    const { job } = await h.runToLinks({ fields: FIELDS });
    const before = h.sim.stats().byPath['POST /tasks/export/activity'];
    const resumed = await h.provider.startJob(
      { start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' },
      { fields: FIELDS },
      job,
    );
    expect(resumed).toMatchObject({ kind: 'started', job });
    expect(h.sim.stats().byPath['POST /tasks/export/activity']).toBe(before);
    await expect(h.provider.cancelJob(job)).resolves.toBe('unsupported');
  });

  it('a window without activity yields one header-only CSV', async () => {
    const { status, job } = await h.runToLinks({ fields: FIELDS, filter: 'event_type==nothing' });
    expect(status.files).toHaveLength(1);
    expect((await readAll((await h.provider.openRange(status.files[0]!, { start: 0 })).body)).toString()).toBe(
      `${FIELDS.join(',')}\n`,
    );
    expect(h.sim.fileBytes(job.id, 1).toString()).toBe(`${FIELDS.join(',')}\n`);
  });
});

describe('clickwrap export task from a host that ignores Range', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ fileHostHonoursRange: false });
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  it('streams the whole file from byte 0 and says so (ranged false, size known)', async () => {
    const { job, status } = await h.runToLinks({ fields: FIELDS });
    const file = status.files[0]!;
    const whole = h.sim.fileBytes(job.id, 1);
    const opened = await h.provider.openRange(file, { start: 100 });
    expect(opened).toMatchObject({ ranged: false, start: 0, totalSize: whole.length });
    expect((await readAll(opened.body)).equals(whole)).toBe(true);
    const fromZero = await h.provider.openRange({ ...file, rangeSupport: 'no' }, { start: 0 });
    expect(fromZero.ranged).toBe(false);
    expect((await readAll(fromZero.body)).equals(whole)).toBe(true);
    const probe = h.sim.requests().filter((r) => r.host === 'files');
    expect(probe.length).toBeGreaterThanOrEqual(2);
  });
});
