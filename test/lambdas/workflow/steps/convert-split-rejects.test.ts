// ConvertSplit under badValues "null": the split's untypeable values are NULL in its Parquet object and
// listed in one rejects object under curated/<export>_rejects/ (same stem as the split), by record number
// in the raw file (a later split counts the records before it, quoted line breaks included), the raw
// value redacted and bounded. Under the default "fail" the same split fails by name.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertSplit } from '../../../../lambdas/workflow/steps/convert-split';
import { DAY1, exportDefinition, stepWorld } from './support/step-world';

const HEADER =
  'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes';
const row = (lead: string, date: string, value = 'x') => `g,${lead},${date},1,1,1,"${value}",{}`;
const AT = '2026-01-01T10:00:00Z';
// Split 0 holds records 1-3 (one with quoted line breaks), split 1 records 4-6.
const FIRST = [row('1', AT, 'a\nb\nc'), row('2', AT), row('3', AT)].join('\n') + '\n';
const SECOND = [row('4', AT), row('5', 'next week'), row(`Bearer abcdefghijklmnopq${'7'.repeat(400)}`, AT)].join('\n');
const RAW = Buffer.from(`${HEADER}\n${FIRST}${SECOND}\n`);
const RAW_KEY = 'raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv';
const HEADER_END = HEADER.length + 1;
const SPLITS = [
  { index: 0, start: HEADER_END, end: HEADER_END + FIRST.length },
  { index: 1, start: HEADER_END + FIRST.length, end: RAW.length },
];
const FILE = {
  index: 1,
  key: RAW_KEY,
  uri: `memory://test-bucket/${RAW_KEY}`,
  format: 'csv' as const,
  bytes: RAW.length,
  sha256: 'a'.repeat(64),
  records: 6,
  header: HEADER.split(','),
  expectedSha256: null,
  expectedBytes: null,
  expectedRecords: 6,
  splits: SPLITS,
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function query(body: Buffer, sql: (file: string) => string): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rejects-step-'));
  dirs.push(dir);
  const local = path.join(dir, 'o.parquet');
  writeFileSync(local, body);
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  return (await db.runAndReadAll(sql(`read_parquet('${local}')`))).getRowObjectsJS();
}

describe('ConvertSplit with badValues "null"', () => {
  it('nulls the values and lists them, by record in the raw file, in a rejects object beside the split', async () => {
    const world = stepWorld({ exports: [exportDefinition({ badValues: 'null' })] });
    world.store.seed(RAW_KEY, RAW, 'text/csv');
    const part = await convertSplit(
      { export: 'acts', window: DAY1, file: FILE, split: SPLITS[1]!, fileCount: 1 },
      world.rt,
    );
    const rejectsKey = 'curated/acts_rejects/dt=2026-01-01/20260101T000000Z_20260102T000000Z-0002.parquet';
    expect(part).toMatchObject({
      split: 1,
      key: 'curated/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z-0002.parquet',
      rows: 3,
      rejects: { key: rejectsKey, uri: `memory://test-bucket/${rejectsKey}`, rows: 2 },
    });
    expect(
      await query(
        (await world.store.getObject(`staging/${part.key}`))!.body,
        (f) => `SELECT leadid, activitydate FROM ${f}`,
      ),
    ).toEqual([
      { leadid: 4n, activitydate: new Date(AT) },
      { leadid: 5n, activitydate: null },
      { leadid: null, activitydate: new Date(AT) },
    ]);
    const rejects = await query(
      // Both are staged until their window is published.
      (await world.store.getObject(`staging/${rejectsKey}`))!.body,
      (f) => `SELECT * EXCLUDE (window_start, window_end), epoch_ms(window_start) AS ws FROM ${f}`,
    );
    expect(rejects).toEqual([
      {
        raw_file: RAW_KEY,
        record: 5n,
        column_name: 'activitydate',
        column_type: 'timestamp',
        reason: 'not an ISO-8601 timestamp with Z or an offset',
        raw_value: 'next week',
        raw_length: 9,
        ws: BigInt(Date.parse(DAY1.start)),
      },
      expect.objectContaining({ record: 6n, column_name: 'leadid', raw_length: 424 }),
    ]);
    const stored = rejects[1]!.raw_value as string;
    expect(stored.length).toBeLessThanOrEqual(256);
    expect(stored).not.toContain('abcdefghijklmnopq');
    expect(stored).toMatch(/^Bearer \[redacted\]/);
  });

  it('a split without bad values writes no rejects object', async () => {
    const world = stepWorld({ exports: [exportDefinition({ badValues: 'null' })] });
    world.store.seed(RAW_KEY, RAW, 'text/csv');
    const part = await convertSplit(
      { export: 'acts', window: DAY1, file: FILE, split: SPLITS[0]!, fileCount: 1 },
      world.rt,
    );
    expect(part.rejects).toBeUndefined();
    expect(await world.store.listKeys('curated/acts_rejects/')).toEqual([]);
  });

  it('under the default "fail" the split fails naming the column and the record by its number in the file (counted for a later split)', async () => {
    const world = stepWorld();
    world.store.seed(RAW_KEY, RAW, 'text/csv');
    await expect(
      convertSplit({ export: 'acts', window: DAY1, file: FILE, split: SPLITS[1]!, fileCount: 1 }, world.rt),
    ).rejects.toMatchObject({
      name: 'UntypeableValueError',
      message: expect.stringMatching(/: record 5 \(byte \d+\), column activitydate \(timestamp\): .*"next week"/),
    });
    expect(await world.store.listKeys('curated/')).toEqual([]);
  });
});
