// ConvertSplit without moto: one split of a verified raw file → one Parquet object at the window's
// curated key, typed by the dataset descriptor; a file whose header is not the table's fails.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertSplit } from '../../../../lambdas/workflow/steps/convert-split';
import { DAY1, stepWorld } from './support/step-world';

const HEADER =
  'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes';
const ROWS = [
  '1,100,2026-01-01T10:00:00Z,1,null,null,null,"{""Query"":""a\nb""}"',
  '2,101,2026-01-01T11:00:00.250Z,12,7,3,"Form ""X""",null',
];
const RAW = Buffer.from(`${HEADER}\n${ROWS.join('\n')}\n`);
const RAW_KEY = 'raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fileResult(header: string[]) {
  const start = HEADER.length + 1;
  return {
    index: 1,
    key: RAW_KEY,
    uri: `memory://test-bucket/${RAW_KEY}`,
    format: 'csv' as const,
    bytes: RAW.length,
    sha256: 'a'.repeat(64),
    records: 2,
    header,
    expectedSha256: null,
    expectedBytes: null,
    expectedRecords: 2,
    splits: [{ index: 0, start, end: RAW.length }],
  };
}

describe('ConvertSplit', () => {
  it('writes the split as typed Parquet at the window key, every value as in the raw file', async () => {
    const world = stepWorld();
    world.store.seed(RAW_KEY, RAW, 'text/csv');
    const file = fileResult(HEADER.split(','));
    const part = await convertSplit(
      { export: 'acts', window: DAY1, file, split: file.splits[0]!, fileCount: 1 },
      world.rt,
    );
    const key = 'curated/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z-0001.parquet';
    expect(part).toMatchObject({ split: 0, key, uri: `memory://test-bucket/${key}`, rows: 2 });

    const dir = mkdtempSync(path.join(tmpdir(), 'convert-step-'));
    dirs.push(dir);
    const local = path.join(dir, 'part.parquet');
    // Staged until WriteManifest publishes the window: nothing under curated/ yet.
    expect(await world.store.listKeys('curated/')).toEqual([]);
    writeFileSync(local, (await world.store.getObject(`staging/${key}`))!.body);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await db.runAndReadAll(
      `SELECT leadid, epoch_ms(activitydate) AS ms, activitytypeid, campaignid, primaryattributevalue, attributes FROM read_parquet('${local}') ORDER BY leadid`,
    );
    expect(reader.getRowObjectsJS()).toEqual([
      {
        leadid: 100n,
        ms: 1767261600000n,
        activitytypeid: 1,
        campaignid: null,
        primaryattributevalue: null,
        attributes: '{"Query":"a\nb"}',
      },
      {
        leadid: 101n,
        ms: 1767265200250n,
        activitytypeid: 12,
        campaignid: 7,
        primaryattributevalue: 'Form "X"',
        attributes: null,
      },
    ]);
  });

  it("refuses a file whose header is not the export's table, writing nothing", async () => {
    const world = stepWorld();
    world.store.seed(RAW_KEY, RAW, 'text/csv');
    const file = fileResult(['marketoGUID', 'leadId']);
    await expect(
      convertSplit({ export: 'acts', window: DAY1, file, split: file.splits[0]!, fileCount: 1 }, world.rt),
    ).rejects.toMatchObject({
      name: 'MalformedCsvError',
      message: expect.stringContaining('the header is [marketoguid, leadid]'),
    });
    expect(await world.store.listKeys('curated/')).toEqual([]);
  });
});
