// The deleted-leads adapter over real HTTP against the simulator, on a manual clock both share: no
// remote job, one pass to count, the same bytes on every read from any offset, the window cut out of a
// route that only has a lower bound, the call budget, and the faults met mid-paging (606, 607, a
// token that expires), plus the registry picking this adapter from the dataset's descriptor.
import { afterAll, describe, expect, it } from 'vitest';
import { createDeletedLeadsProvider } from '../../../../lambdas/providers/marketo';
import { createProvider } from '../../../../lambdas/providers/registry';
import type { ExportWindow, RemoteFile } from '../../../../lambdas/providers/types';
import { memoryLogger } from '../../../support/memory-logger';
import { startMarketoSimulator, type MarketoSimulatorOptions } from '../../../../local/simulators/marketo';
import { expectedDeletedLeadsCsv } from '../../../support/deleted-leads-expected';
import { readAll, readUntilError } from './support/harness';
import { ManualClock } from './support/manual-clock';

const WINDOW: ExportWindow = { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' };
const NOW = '2026-03-02T12:00:00Z';

const open: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of open.splice(0)) await close();
});

async function setup(simOptions: MarketoSimulatorOptions = {}) {
  const clock = new ManualClock(NOW);
  const sim = await startMarketoSimulator({ now: () => clock.now(), deletedLeads: { perHour: 40 }, ...simOptions });
  const logger = memoryLogger();
  const credentials = { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret };
  const provider = createDeletedLeadsProvider(credentials, { clock, logger }, { random: () => 0.5 });
  open.push(async () => {
    await provider.close();
    await sim.stop();
  });
  const calls = () => {
    const { byKind } = sim.stats();
    return { pagingtoken: byKind.pagingtoken ?? 0, deletedleads: byKind.deletedleads ?? 0, total: sim.stats().total };
  };
  const expected = () => expectedDeletedLeadsCsv(sim.deletedLeads.recordsBetween(WINDOW.start, WINDOW.end));
  const counted = async (window = WINDOW) => {
    const started = await provider.startJob(window, provider.validate({}, window));
    if (started.kind !== 'started') throw new Error('not started');
    const status = await provider.checkJob(started.job, 0);
    const file = status.files[0];
    if (!file) throw new Error('no file');
    return { status, file, job: started.job };
  };
  return { clock, sim, logger, provider, credentials, calls, expected, counted };
}

describe('Marketo deleted leads adapter', () => {
  it('validates before any call: no options, a window of at most 31 days, named fields', async () => {
    const h = await setup();
    expect(h.provider.validate({}, WINDOW)).toEqual({});
    expect(h.provider.validate(undefined)).toEqual({});
    expect(() => h.provider.validate({ format: 'CSV' })).toThrow(
      expect.objectContaining({ name: 'ValidationError', field: 'format' }),
    );
    const long = { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:01Z' };
    expect(() => h.provider.validate({}, long)).toThrow(expect.objectContaining({ field: 'window.end' }));
    await expect(h.provider.startJob({ start: '2026-03-01T00:00:00.000Z', end: WINDOW.end }, {})).rejects.toMatchObject(
      { name: 'ValidationError', field: 'window.start' },
    );
    expect(h.sim.stats().total).toBe(0);
  });

  it('startJob is started at once with the window as its job, and cancelJob has nothing to cancel: no call either way', async () => {
    const h = await setup();
    const started = await h.provider.startJob(WINDOW, {});
    expect(started).toEqual({
      kind: 'started',
      job: { id: 'deleted-leads:2026-03-01T00:00:00Z/2026-03-02T00:00:00Z', createdAt: NOW },
      pollAfterSeconds: 0,
    });
    await expect(h.provider.cancelJob(started.job!)).resolves.toBe('ended');
    expect(h.provider.limits.cancelsJobs).toBe(false);
    expect(h.sim.stats().total).toBe(0);
    expect(h.logger.lines.some((l) => /nothing to cancel/.test(l.message))).toBe(true);
  });

  it('checkJob pages the window once: succeeded, one CSV file whose size and record count it knows, no checksum claimed', async () => {
    const h = await setup();
    const { status, file } = await h.counted();
    const expected = h.expected();
    const records = h.sim.deletedLeads.recordsBetween(WINDOW.start, WINDOW.end);
    expect(records.length).toBeGreaterThan(600);
    expect(status).toMatchObject({ state: 'succeeded', records: records.length, nextPollSeconds: 0 });
    expect(file).toEqual({
      index: 1,
      source: { kind: 'api', path: '/rest/v1/activities/deletedleads.json#2026-03-01T00:00:00Z/2026-03-02T00:00:00Z' },
      sendCredentials: true,
      size: expected.length,
      rangeSupport: 'yes',
      format: 'csv',
    });
    expect(file.sha256).toBeUndefined();
    // One token, then 300 a page up to the first page wholly past the window's end, not up to now.
    const calls = h.calls();
    expect(calls.pagingtoken).toBe(1);
    expect(calls.deletedleads).toBe(Math.ceil((records.length + 1) / 300) + 1);
    expect(
      h.sim
        .requestLog()
        .filter((l) => l.includes('deletedleads.json'))
        .every((l) => l.includes('batchSize=300')),
    ).toBe(true);
    const pass = h.logger.lines.find((l) => l.message === 'marketo deleted leads pass');
    expect(pass?.fields).toMatchObject({ kept: records.length, calls: calls.pagingtoken + calls.deletedleads });
    expect(pass?.fields?.before).toBeGreaterThan(0);
    expect(pass?.fields?.after).toBeGreaterThan(0);
  });

  it('openRange streams exactly the CSV the simulator records render to, records outside the window dropped', async () => {
    const h = await setup();
    const { file } = await h.counted();
    const whole = await readAll((await h.provider.openRange(file, { start: 0 })).body);
    const expected = h.expected();
    expect(whole.equals(expected)).toBe(true);
    // The route returned records before and after the window; none of them is in the file.
    const text = whole.toString('utf8');
    expect(text).not.toMatch(/,2026-02-28T23:/);
    expect(text).not.toMatch(/,2026-03-02T00:/);
    expect(text).toMatch(/"[^"]*\n[^"]*"/);
  });

  it('resuming mid-file gives the same bytes: any start (inside a quoted line break too), bounded ranges, the end as an empty body without a call', async () => {
    const h = await setup();
    const { file } = await h.counted();
    const expected = h.expected();
    const insideQuotes = expected.indexOf('\nDuplicate') + 1;
    for (const start of [1, 777, insideQuotes, 60_000, expected.length - 3]) {
      const opened = await h.provider.openRange(file, { start });
      expect(opened).toMatchObject({ ranged: true, start, totalSize: expected.length });
      expect((await readAll(opened.body)).equals(expected.subarray(start))).toBe(true);
    }
    const middle = await h.provider.openRange(file, { start: 1000, endInclusive: 70_999 });
    expect((await readAll(middle.body)).equals(expected.subarray(1000, 71_000))).toBe(true);
    const before = h.sim.stats().total;
    const atEnd = await h.provider.openRange(file, { start: expected.length });
    expect((await readAll(atEnd.body)).length).toBe(0);
    expect(h.sim.stats().total).toBe(before);
    await expect(h.provider.openRange(file, { start: expected.length + 1 })).rejects.toMatchObject({
      name: 'RangeMismatchError',
    });
  });

  it('606 mid-paging is waited out (≥ 20 s) and the pass goes on to the same count', async () => {
    const h = await setup();
    h.sim.deletedLeads.faults.failMidPaging = { afterPages: 1, code: '606' };
    const { status, file } = await h.counted();
    expect(status.records).toBe(h.sim.deletedLeads.recordsBetween(WINDOW.start, WINDOW.end).length);
    expect(file.size).toBe(h.expected().length);
    expect(h.clock.sleeps.some((ms) => ms >= 20_000)).toBe(true);
  });

  it('607 mid-paging fails the check with QuotaExceededError naming the reset (the state machine waits for it)', async () => {
    const h = await setup();
    h.sim.deletedLeads.faults.failMidPaging = { afterPages: 2, code: '607' };
    await expect(h.counted()).rejects.toMatchObject({ name: 'QuotaExceededError', resetAt: '2026-03-03T06:00:00Z' });
    // The next check, once the quota is back, counts the window whole.
    const { status } = await h.counted();
    expect(status.records).toBe(h.sim.deletedLeads.recordsBetween(WINDOW.start, WINDOW.end).length);
  });

  it('a token that expires mid-pass restarts the pass from a fresh one, once, and the bytes do not change', async () => {
    const h = await setup();
    const { file } = await h.counted();
    h.sim.deletedLeads.faults.expireTokensAfterPages = 1;
    const again = await readAll((await h.provider.openRange(file, { start: 0 })).body);
    expect(again.equals(h.expected())).toBe(true);
    expect(h.logger.lines.some((l) => l.level === 'warn' && /refused mid-pass/.test(l.message))).toBe(true);
    // Refused again after the restart: the pass gives up with the provider's error.
    h.sim.deletedLeads.faults.expireTokensAfterPages = 1;
    const body = (await h.provider.openRange(file, { start: 0 })).body;
    h.sim.deletedLeads.faults.expireTokensAfterPages = 1;
    const { error } = await readUntilError(body);
    expect(error).toMatchObject({ name: 'ProviderApiError', code: '1003' });
  });

  it('a window whose records changed since they were counted fails the read by name rather than land other bytes', async () => {
    const h = await setup();
    const { file } = await h.counted();
    const claimsMore: RemoteFile = { ...file, size: file.size! + 10 };
    const { error } = await readUntilError((await h.provider.openRange(claimsMore, { start: 0 })).body);
    expect(error).toMatchObject({ name: 'SizeMismatchError' });
    const claimsLess: RemoteFile = { ...file, size: file.size! - 10 };
    const short = await readUntilError((await h.provider.openRange(claimsLess, { start: 0 })).body);
    expect(short.error).toMatchObject({ name: 'SizeMismatchError' });
    expect(short.bytes.length).toBeLessThanOrEqual(file.size! - 10);
  });

  it('a window without deletions is a header-only file of zero records', async () => {
    const h = await setup();
    const empty = { start: '2025-12-01T00:00:00Z', end: '2025-12-02T00:00:00Z' };
    const { status, file } = await h.counted(empty);
    expect(status.records).toBe(0);
    const whole = await readAll((await h.provider.openRange(file, { start: 0 })).body);
    expect(whole.toString()).toBe(
      'marketoGUID,id,leadId,activityDate,activityTypeId,primaryAttributeValueId,primaryAttributeValue,attributes\n',
    );
    expect(file.size).toBe(whole.length);
  });

  it('refuses a file that is not a deleted-leads path, and a job id that is not a window', async () => {
    const h = await setup();
    const { file } = await h.counted();
    await expect(
      h.provider.openRange(
        { ...file, source: { kind: 'api', path: '/bulk/v1/activities/export/x/file.json' } },
        { start: 0 },
      ),
    ).rejects.toMatchObject({ name: 'ForbiddenLinkError' });
    await expect(
      h.provider.openRange({ ...file, source: { kind: 'url', url: 'http://127.0.0.1:1/x.csv' } }, { start: 0 }),
    ).rejects.toMatchObject({ name: 'ForbiddenLinkError' });
    await expect(h.provider.checkJob({ id: 'abc123' }, 0)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'job.id',
    });
  });

  it('the registry builds this adapter from the dataset descriptor, the bulk adapter for activities', async () => {
    const h = await setup();
    const ctx = { clock: h.clock, logger: h.logger };
    const deleted = createProvider({ provider: 'marketo', dataset: 'deleted-leads', request: {} }, h.credentials, ctx);
    const activities = createProvider({ provider: 'marketo', dataset: 'activities', request: {} }, h.credentials, ctx);
    try {
      expect(deleted.limits.cancelsJobs).toBe(false);
      expect(activities.limits.cancelsJobs).toBe(true);
      expect((await deleted.startJob(WINDOW, {})).job?.id).toMatch(/^deleted-leads:/);
    } finally {
      await (deleted as unknown as { close(): Promise<void> }).close();
      await (activities as unknown as { close(): Promise<void> }).close();
    }
  });
});
