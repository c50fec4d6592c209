// The results of a query job over HTTP against the simulator: many sets joined into one file with one
// header, each set checked by its count, a set cut short fetched again by its locator, a session that
// ends mid-results renewed, gzip when the org sends it, a resume at a set's position (RangeRequest.resumeFrom), and the job's
// own API version used for its results.
import { afterEach, describe, expect, it } from 'vitest';
import { windowSoql, type SalesforceRequest } from '../../../../lambdas/providers/salesforce';
import { readAll, salesforceHarness, WINDOW, type SalesforceHarness } from './harness';

let h: SalesforceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const expected = (s: SalesforceHarness) =>
  s.sim.expectedCsv(windowSoql(s.request as SalesforceRequest, WINDOW), 'queryAll');

async function landedFile(s: SalesforceHarness) {
  const job = await s.started();
  const status = await s.runToEnd(job);
  const file = status.files[0];
  if (!file) throw new Error('no file');
  return { job, status, file };
}

describe('Salesforce results as one file', () => {
  it('joins every set in locator order with one header; the records equal numberRecordsProcessed', async () => {
    h = await salesforceHarness({ gzip: 'sometimes' });
    const { status, file } = await landedFile(h);
    const truth = expected(h);
    expect(status).toMatchObject({ state: 'succeeded', records: truth.records });
    expect(status.files).toHaveLength(1);
    const body = await readAll((await h.provider.openRange(file, { start: 0 })).body);
    expect(body.equals(truth.csv)).toBe(true);
    const [sim] = h.sim.jobs();
    // 100 records in 40-record sets: three sets, the first without a locator.
    expect(sim!.fetches).toHaveLength(3);
    expect(sim!.fetches[0]).toBe('');
    // Deleted records come through queryAll with IsDeleted true.
    expect(body.toString()).toContain('"true","2026-03-01T');
  });

  it('fetches a set cut short again by its locator and lands the same bytes', async () => {
    h = await salesforceHarness();
    const { file } = await landedFile(h);
    h.sim.faults.truncateSet = { set: 2, afterBytes: 500 };
    const body = await readAll((await h.provider.openRange(file, { start: 0 })).body);
    expect(body.equals(expected(h).csv)).toBe(true);
    const fetches = h.sim.jobs()[0]!.fetches;
    expect(fetches).toHaveLength(4);
    expect(fetches[1]).toBe(fetches[2]);
  });

  it('renews the session when the token expires mid-results and fetches the same set again', async () => {
    h = await salesforceHarness();
    const { file } = await landedFile(h);
    const opened = await h.provider.openRange(file, { start: 0 });
    const chunks: Buffer[] = [];
    let expired = false;
    for await (const chunk of opened.body) {
      chunks.push(Buffer.from(chunk as Uint8Array));
      if (!expired) {
        expired = true;
        h.sim.faults.expireSessions();
      }
    }
    expect(Buffer.concat(chunks).equals(expected(h).csv)).toBe(true);
    const tokens = h.sim.requests().filter((r) => r.path === '/services/oauth2/token');
    expect(tokens).toHaveLength(2);
  });

  it('reads from any byte, and resumes at a set boundary the body passed without fetching the sets before it', async () => {
    h = await salesforceHarness();
    const { file } = await landedFile(h);
    const truth = expected(h).csv;
    const opened = await h.provider.openRange(file, { start: 0 });
    await readAll(opened.body);
    // Inside the third and last set (20 records of about 100 bytes).
    const offset = truth.length - 50;
    const resumeFrom = opened.positionAt!(offset);
    expect(resumeFrom?.position).toMatch(/^sfdc1:2:\d+:80:/);
    expect(resumeFrom!.at).toBeLessThanOrEqual(offset);
    const fetchesBefore = h.sim.jobs()[0]!.fetches.length;
    const resumed = await h.provider.openRange(file, { start: offset, resumeFrom });
    expect((await readAll(resumed.body)).equals(truth.subarray(offset))).toBe(true);
    // Only the third set was fetched again, and the resumed body marks the same boundary.
    expect(h.sim.jobs()[0]!.fetches.length - fetchesBefore).toBe(1);
    expect(resumed.positionAt!(offset)).toEqual(resumeFrom);
    // Without a position, the sets are paged from the first and the bytes before the start skipped.
    const plain = await h.provider.openRange(file, { start: offset });
    expect((await readAll(plain.body)).equals(truth.subarray(offset))).toBe(true);
    // A position past the start is of no use: it is ignored and the sets are paged from the first.
    const before = h.sim.jobs()[0]!.fetches.length;
    const early = await h.provider.openRange(file, { start: 10, resumeFrom });
    expect((await readAll(early.body)).equals(truth.subarray(10))).toBe(true);
    expect(h.sim.jobs()[0]!.fetches.length - before).toBe(3);
  });

  it('a saved position that is unreadable, misplaced or whose locator the org refuses is expired (SourcePositionExpiredError)', async () => {
    h = await salesforceHarness();
    const { file } = await landedFile(h);
    const opened = await h.provider.openRange(file, { start: 0 });
    await readAll(opened.body);
    const mark = opened.positionAt!(Number.MAX_SAFE_INTEGER)!;
    const expired = { name: 'SourcePositionExpiredError' };
    const start = mark.at + 5;
    await expect(
      h.provider.openRange(file, { start, resumeFrom: { at: mark.at, position: 'mkto:token' } }),
    ).rejects.toMatchObject(expired);
    await expect(
      h.provider.openRange(file, { start, resumeFrom: { at: mark.at - 1, position: mark.position } }),
    ).rejects.toMatchObject(expired);
    const refused = mark.position.replace(/:[^:]*$/, ':bm90LWEtbG9jYXRvcg');
    await expect(
      h.provider.openRange(file, { start, resumeFrom: { at: mark.at, position: refused } }),
    ).rejects.toMatchObject(expired);
  });

  it('fetches results with the API version the job was created with, whatever the client now speaks', async () => {
    h = await salesforceHarness({}, { apiVersion: '58.0' });
    const { job } = await landedFile(h);
    const newer = h.make('61.0');
    try {
      const status = await h.runToEnd(job, newer);
      expect(status.files[0]!.source).toMatchObject({ path: expect.stringContaining('/v58.0/jobs/query/') });
      const body = await readAll((await newer.openRange(status.files[0]!, { start: 0 })).body);
      expect(body.equals(expected(h).csv)).toBe(true);
    } finally {
      await newer.close();
    }
  });

  it('a window without records has no file; a file path that is not a results path is refused', async () => {
    h = await salesforceHarness({ recordsPerDay: 0 });
    const job = await h.started();
    expect(await h.runToEnd(job)).toMatchObject({ state: 'succeeded', records: 0, files: [] });
    await expect(
      h.provider.openRange(
        {
          index: 1,
          source: { kind: 'url', url: 'https://evil.example/x' },
          sendCredentials: true,
          rangeSupport: 'yes',
          format: 'csv',
        },
        { start: 0 },
      ),
    ).rejects.toMatchObject({ name: 'ForbiddenLinkError' });
  });
});

describe('Salesforce job lifecycle', () => {
  it('aborts a live job (cancelled), leaves an ended one alone, and deletes a landed one', async () => {
    h = await salesforceHarness({ queuedMs: 5_000 });
    const live = await h.started();
    await expect(h.provider.cancelJob(live)).resolves.toBe('cancelled');
    expect(h.sim.jobs()[0]!.state).toBe('Aborted');
    await expect(h.provider.cancelJob(live)).resolves.toBe('ended');

    const job = await h.started();
    expect((await h.runToEnd(job)).state).toBe('succeeded');
    await h.provider.releaseJob(job);
    expect(h.sim.jobs().find((j) => j.id === job.id)!.deleted).toBe(true);
    // A deleted job no longer exists: a check says so, a cancel has nothing to do, a delete is idempotent.
    expect(await h.provider.checkJob(job, 3)).toMatchObject({ state: 'failed', providerStatus: 'NOT_FOUND' });
    await expect(h.provider.cancelJob(job)).resolves.toBe('ended');
    await expect(h.provider.releaseJob(job)).resolves.toBeUndefined();
  });

  it('resumes a recorded live job instead of creating a second; replaces one that failed or is gone', async () => {
    h = await salesforceHarness();
    const job = await h.started();
    expect(await h.provider.startJob(WINDOW, h.request, job)).toMatchObject({ kind: 'started', job });
    expect(h.sim.jobs()).toHaveLength(1);
    await h.runToEnd(job);
    await h.provider.releaseJob(job);
    const again = await h.provider.startJob(WINDOW, h.request, job);
    expect(again.kind).toBe('started');
    expect(again.job?.id).not.toBe(job.id);
  });

  it('polls with a growing wait from 2 s to a minute, and creates the window query on SystemModstamp', async () => {
    h = await salesforceHarness({ queuedMs: 600_000 });
    const job = await h.started();
    const waits = [];
    for (let poll = 0; poll < 8; poll++) waits.push((await h.provider.checkJob(job, poll)).nextPollSeconds);
    expect(waits[0]).toBeGreaterThanOrEqual(2);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(Math.max(...waits)).toBeLessThanOrEqual(60);
    expect(h.sim.jobs()[0]).toMatchObject({
      operation: 'queryAll',
      query:
        'SELECT Id, Name, Description, AnnualRevenue, IsDeleted, SystemModstamp FROM Account WHERE SystemModstamp >= 2026-03-01T00:00:00.000Z AND SystemModstamp < 2026-03-02T00:00:00.000Z',
    });
  });
});
