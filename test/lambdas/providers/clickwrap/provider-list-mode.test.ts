// List-route mode: /activity paged until has_more is false, written as the same CSV the export writes.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFilePath } from '../../../../lambdas/providers/clickwrap/list-route';
import { ProviderApiError } from '../../../../lambdas/shared/errors';
import { DAY, FIELDS, readAll, startHarness } from './support/harness';
import type { Harness } from './support/harness';

describe('clickwrap list-route mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  it('is done at once, pages until has_more is false, and writes the export CSV byte for byte', async () => {
    const calls = h.sim.stats().total;
    const started = await h.provider.startJob(DAY, { fields: FIELDS, mode: 'list', perPage: 7 });
    if (started.kind !== 'started') throw new Error('not started');
    const status = await h.provider.checkJob(started.job, 0);
    expect(status).toMatchObject({ state: 'succeeded', providerStatus: 'list-route' });
    expect(status.files).toHaveLength(1);
    expect(status.files[0]).toMatchObject({ index: 1, source: { kind: 'api' }, rangeSupport: 'no', format: 'csv' });
    expect(h.sim.stats().total).toBe(calls);

    const opened = await h.provider.openRange(status.files[0]!, { start: 0 });
    expect(opened).toMatchObject({ ranged: false, start: 0 });
    expect(opened.totalSize).toBeUndefined();
    const listCsv = await readAll(opened.body);

    // 120 rows at 7 a page: 18 pages, the last one saying has_more false.
    const pages = h.sim.requests().filter((r) => r.path === '/activity');
    expect(pages.map((p) => Number(p.query.page))).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    for (const p of pages) {
      expect(p.query).toMatchObject({
        per_page: '7',
        no_count: 'true',
        lean: 'true',
        filter: 'created_time>=2024-03-01T00:00:00Z and created_time<2024-03-02T00:00:00Z',
      });
      expect(p.query.fields).toBeUndefined();
    }

    // The export task over the same window: same header, same rows, same bytes once the per-file headers are dropped.
    const { job, status: exported } = await h.runToLinks({ fields: FIELDS });
    const exportParts = exported.files.map((f) => h.sim.fileBytes(job.id, f.index).toString());
    const header = `${FIELDS.join(',')}\n`;
    expect(exportParts.every((p) => p.startsWith(header))).toBe(true);
    expect(listCsv.toString()).toBe(header + exportParts.map((p) => p.slice(header.length)).join(''));

    const records = parse(listCsv, { columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(120);
    expect(new Set(records.map((r) => r['custom_data.vip']))).toEqual(new Set(['true', 'false']));
    expect(records.some((r) => r['connection_data.page_title']?.includes(','))).toBe(true);
    expect(records.some((r) => r['custom_data.note']?.includes('\n'))).toBe(true);
  });

  it('joins the user filter and survives throttling between pages', async () => {
    const started = await h.provider.startJob(DAY, {
      fields: FIELDS,
      mode: 'list',
      perPage: 10,
      filter: 'event_type==agreed',
    });
    if (started.kind !== 'started') throw new Error('not started');
    const file = (await h.provider.checkJob(started.job, 0)).files[0]!;
    const opened = await h.provider.openRange(file, { start: 0 });
    const throttled = h.sim.stats().rateLimited;
    h.sim.faults.rateLimitNext = 2; // hits page 2 while the stream is being read
    const records = parse(await readAll(opened.body), { columns: true }) as Array<Record<string, string>>;
    expect(h.sim.stats().rateLimited - throttled).toBe(2);
    expect(records.length).toBeGreaterThan(10);
    expect(records.every((r) => r.event_type === 'agreed')).toBe(true);
  });

  it('fails loudly when the API returns rows outside the window (a filter it did not honour)', async () => {
    // Ask the API for the whole day but tell the client the window is its first hour.
    const lying =
      listFilePath({ window: DAY, fields: FIELDS, perPage: 100 }).replace(/#.*$/, '') +
      '#' +
      new URLSearchParams({ fields: FIELDS.join(','), start: DAY.start, end: '2024-03-01T01:00:00Z' }).toString();
    const file = {
      index: 1,
      source: { kind: 'api' as const, path: lying },
      sendCredentials: true,
      rangeSupport: 'no' as const,
      format: 'csv' as const,
    };
    await expect(h.provider.openRange(file, { start: 0 })).rejects.toThrow(ProviderApiError);
    await expect(h.provider.openRange(file, { start: 0 })).rejects.toThrow(/outside the window/);
  });

  it('an empty window is a header-only CSV', async () => {
    const started = await h.provider.startJob(DAY, { fields: FIELDS, mode: 'list', filter: 'event_type==nothing' });
    if (started.kind !== 'started') throw new Error('not started');
    const file = (await h.provider.checkJob(started.job, 0)).files[0]!;
    expect((await readAll((await h.provider.openRange(file, { start: 0 })).body)).toString()).toBe(
      `${FIELDS.join(',')}\n`,
    );
  });
});
