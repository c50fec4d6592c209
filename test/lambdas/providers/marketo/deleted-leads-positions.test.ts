// The deleted-leads adapter's paging positions over real HTTP against the simulator: every page boundary
// the body passes is handed back with the token of the next page, an open that resumes there fetches no
// paging token and no page before it and gives the same bytes, and a token refused on resume is named
// SourcePositionExpiredError (the transfer then starts the file over); CheckJob's count carries its
// position in a deferral and goes on from it.
import { afterAll, describe, expect, it } from 'vitest';
import { createDeletedLeadsProvider } from '../../../../lambdas/providers/marketo';
import type { ExportWindow, SourcePosition } from '../../../../lambdas/providers/types';
import { startMarketoSimulator } from '../../../../local/simulators/marketo';
import { expectedDeletedLeadsCsv } from '../../../support/deleted-leads-expected';
import { memoryLogger } from '../../../support/memory-logger';
import { readAll } from './support/harness';
import { ManualClock } from './support/manual-clock';

const WINDOW: ExportWindow = { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' };
const open: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of open.splice(0)) await close();
});

async function setup() {
  const clock = new ManualClock('2026-03-02T12:00:00Z');
  const sim = await startMarketoSimulator({ now: () => clock.now(), deletedLeads: { perHour: 40 } });
  const credentials = { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret };
  const provider = createDeletedLeadsProvider(credentials, { clock, logger: memoryLogger() }, { random: () => 0.5 });
  open.push(async () => {
    await provider.close();
    await sim.stop();
  });
  const started = await provider.startJob(WINDOW, {});
  if (started.kind !== 'started') throw new Error('not started');
  const file = (await provider.checkJob(started.job, 0)).files[0]!;
  const expected = expectedDeletedLeadsCsv(sim.deletedLeads.recordsBetween(WINDOW.start, WINDOW.end));
  const calls = () => ({ ...sim.stats().byKind });
  return { sim, provider, file, expected, calls };
}

describe('Marketo deleted leads: paging positions', () => {
  it('hands back each page boundary with the next token; resuming there fetches only the pages after it, same bytes', async () => {
    const h = await setup();
    const whole = await h.provider.openRange(h.file, { start: 0 });
    expect((await readAll(whole.body)).equals(h.expected)).toBe(true);
    const boundaries: SourcePosition[] = [];
    for (let at = h.expected.length; ;) {
      const mark = whole.positionAt!(at);
      if (!mark) break;
      boundaries.unshift(mark);
      at = mark.at - 1;
    }
    const pages = h.sim.deletedLeads.pageStarts().length / 2;
    // A boundary after every page but the last; each one ends a line of the CSV.
    expect(boundaries).toHaveLength(pages - 1);
    for (const b of boundaries) expect(h.expected[b.at - 1]).toBe(0x0a);

    const mark = boundaries[1]!;
    const before = h.calls();
    const startsBefore = h.sim.deletedLeads.pageStarts().length;
    const from = mark.at + 17;
    const resumed = await h.provider.openRange(h.file, { start: from, resumeFrom: mark });
    expect((await readAll(resumed.body)).equals(h.expected.subarray(from))).toBe(true);
    expect(h.calls().pagingtoken).toBe(before.pagingtoken);
    // Pages 3.. only: the two before the boundary are not fetched again.
    const fetched = h.sim.deletedLeads.pageStarts().slice(startsBefore);
    expect(fetched).toEqual(h.sim.deletedLeads.pageStarts().slice(2, pages));
    expect(resumed.positionAt!(h.expected.length)?.at).toBe(boundaries.at(-1)!.at);
  });

  it('a position past the start asked for is not used: the window is paged from its start', async () => {
    const h = await setup();
    const whole = await h.provider.openRange(h.file, { start: 0 });
    await readAll(whole.body);
    const mark = whole.positionAt!(h.expected.length)!;
    const before = h.calls().pagingtoken ?? 0;
    const opened = await h.provider.openRange(h.file, { start: 5, resumeFrom: mark });
    expect((await readAll(opened.body)).equals(h.expected.subarray(5))).toBe(true);
    expect(h.calls().pagingtoken).toBe(before + 1);
  });

  it('a saved token refused on resume (expired) fails the open as SourcePositionExpiredError', async () => {
    const h = await setup();
    const whole = await h.provider.openRange(h.file, { start: 0 });
    await readAll(whole.body);
    const mark = whole.positionAt!(h.expected.length / 2)!;
    h.sim.deletedLeads.expirePagingTokens();
    await expect(h.provider.openRange(h.file, { start: mark.at, resumeFrom: mark })).rejects.toMatchObject({
      name: 'SourcePositionExpiredError',
    });
  });

  it('a 607 mid-count carries how far the count got; the check after the wait pages on from there to the same size and records', async () => {
    const h = await setup();
    const full = h.sim.deletedLeads.pageStarts();
    const pages = full.length;
    expect(pages).toBeGreaterThan(3);
    h.sim.deletedLeads.faults.failMidPaging = { afterPages: 2, code: '607' };
    const job = { id: 'deleted-leads:2026-03-01T00:00:00Z/2026-03-02T00:00:00Z' };
    const deferred = await h.provider.checkJob(job, 0).catch((e: unknown) => e);
    expect(deferred).toMatchObject({ name: 'QuotaExceededError', resetAt: '2026-03-03T06:00:00Z' });
    const progress = (deferred as { progress?: string }).progress;
    expect(progress).toBeDefined();
    const status = await h.provider.checkJob(job, 0, progress);
    expect(status.records).toBe(h.sim.deletedLeads.recordsBetween(WINDOW.start, WINDOW.end).length);
    expect(status.files[0]?.size).toBe(h.expected.length);
    // The first check's pages, then two before the 607 and the rest after it: each page once.
    expect(h.sim.deletedLeads.pageStarts().slice(pages)).toEqual(full);
  });

  it('a count progress refused (expired token) or unreadable counts the window again, to the same figures', async () => {
    const h = await setup();
    const job = { id: 'deleted-leads:2026-03-01T00:00:00Z/2026-03-02T00:00:00Z' };
    h.sim.deletedLeads.faults.failMidPaging = { afterPages: 1, code: '607' };
    const deferred = (await h.provider.checkJob(job, 0).catch((e: unknown) => e)) as { progress?: string };
    h.sim.deletedLeads.expirePagingTokens();
    for (const resume of [deferred.progress, '{"token":1}', 'not json']) {
      const status = await h.provider.checkJob(job, 0, resume);
      expect(status.records).toBe(h.sim.deletedLeads.recordsBetween(WINDOW.start, WINDOW.end).length);
      expect(status.files[0]?.size).toBe(h.expected.length);
    }
  });
});
