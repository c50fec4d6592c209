import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { dataSourceOf, SIMULATOR_SOURCE, watermarkStanding } from '../../../lambdas/workflow/data-source';
import { commitWatermark, readWatermark } from '../../../lambdas/workflow/watermark';

const HOST = '123-abc-456.mktorest.test';
let root: string;
let store: LocalDirObjectStore;
const meta = (source: string) => ({ now: new Date('2026-03-10T00:00:00Z'), firstStart: '2026-03-01', source });
const range = (from: string, to: string) => ({ from: `2026-03-${from}T00:00:00Z`, to: `2026-03-${to}T00:00:00Z` });

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'src-'));
  store = new LocalDirObjectStore({ root });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the data source', () => {
  it('is "simulator" against a bundled simulator, the provider host otherwise', () => {
    expect(dataSourceOf({ simulated: true }, { host: '127.0.0.1:4010' })).toBe(SIMULATOR_SOURCE);
    expect(dataSourceOf({}, { host: HOST })).toBe(HOST);
  });

  it('decides what a run makes of a watermark recorded by another source', () => {
    expect(watermarkStanding(HOST, HOST)).toBe('own');
    expect(watermarkStanding(SIMULATOR_SOURCE, SIMULATOR_SOURCE)).toBe('own');
    expect(watermarkStanding(SIMULATOR_SOURCE, HOST)).toBe('ignore');
    expect(watermarkStanding(HOST, SIMULATOR_SOURCE)).toBe('keep');
    // Recorded before sources were: treated as real data's.
    expect(watermarkStanding(undefined, SIMULATOR_SOURCE)).toBe('keep');
    expect(watermarkStanding(undefined, HOST)).toBe('own');
  });
});

describe('commitWatermark and the source', () => {
  it('records the source; a simulator run never moves a real watermark', async () => {
    expect(await commitWatermark(store, 'e', range('01', '03'), meta(HOST))).toMatchObject({ moved: true });
    expect((await readWatermark(store, 'e'))?.value).toMatchObject({ watermark: '2026-03-03T00:00:00Z', source: HOST });
    const sim = await commitWatermark(store, 'e', range('03', '05'), meta(SIMULATOR_SOURCE));
    expect(sim).toEqual({
      moved: false,
      current: '2026-03-03T00:00:00Z',
      reason: `the watermark follows data from ${HOST}: a simulator run does not move it`,
    });
    expect((await readWatermark(store, 'e'))?.value).toMatchObject({ watermark: '2026-03-03T00:00:00Z', source: HOST });
  });

  it("a real run replaces a simulator's watermark, even one ahead of it, starting from the first start", async () => {
    await commitWatermark(store, 'e', range('01', '09'), meta(SIMULATOR_SOURCE));
    expect(await commitWatermark(store, 'e', range('02', '04'), meta(HOST))).toMatchObject({ moved: false });
    expect(await commitWatermark(store, 'e', range('01', '04'), meta(HOST))).toEqual({
      moved: true,
      to: '2026-03-04T00:00:00Z',
    });
    expect((await readWatermark(store, 'e'))?.value).toMatchObject({ watermark: '2026-03-04T00:00:00Z', source: HOST });
  });
});
