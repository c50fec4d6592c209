// Raw file → Parquet → DuckDB equals the strict parse of the raw file, field by field and typed, for
// every hazard, every Marketo format and Clickwrap; splits give the same rows as one piece; an
// untypeable or malformed record fails by name and leaves no object behind.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertSplit, type ConvertSplitInput } from '../../../lambdas/curated/convert-split';
import type { CuratedColumn, RawFormat } from '../../../lambdas/curated/curated-column';
import { planSplits } from '../../../lambdas/curated/split-plan';
import { DEFAULT_FIELDS } from '../../../lambdas/providers/clickwrap/constants';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { S3ObjectStore } from '../../../lambdas/transfer/s3-object-store';
import { createActivityStore } from '../../../local/simulators/clickwrap/activity-data';
import { toCsv } from '../../../local/simulators/clickwrap/csv';
import { ActivityGenerator } from '../../../local/simulators/marketo/activity-generator';
import { parseCreateRequest } from '../../../local/simulators/marketo/create-request';
import { DELIMITER, fieldEncoder, type ExportFormat } from '../../../local/simulators/marketo/delimited-format';
import { describeWithMoto, freshBucket, motoS3Client } from '../../support/moto';
import { MARKETO_COLUMNS, ParquetReader, expectedDuckDbSchema, referenceRows } from './curated-fixtures';

let root: string;
let store: LocalDirObjectStore;
let reader: ParquetReader;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'curated-'));
  store = new LocalDirObjectStore({ root });
  reader = await ParquetReader.open();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FORMAT_OF: Record<ExportFormat, RawFormat> = { CSV: 'csv', TSV: 'tsv', SSV: 'ssv' };
const HEADER = [
  'marketoGUID',
  'leadId',
  'activityDate',
  'activityTypeId',
  'campaignId',
  'primaryAttributeValueId',
  'primaryAttributeValue',
  'attributes',
];

/** One row per hazard, as Marketo would render it in `format` (its own quoting, `null` for no value). */
function hazardFile(format: ExportFormat): Buffer {
  const encode = fieldEncoder(format);
  const values: (string | null)[] = [
    'line\nfeed',
    'carriage\rreturn',
    'cr\r\nlf',
    'line\u2028separator',
    'nul\u0000byte',
    'emoji 🎉 and CJK 漢字テスト, naïve',
    null,
    '',
    ' leading and trailing ',
    'quote " inside',
  ];
  const rows = values.map((v, i) =>
    [
      `guid-${i}`,
      String(9_007_199_254_740_993n + BigInt(i)), // beyond 2^53: a bigint must not pass through a double
      `2026-11-0${(i % 9) + 1}T12:34:56${i % 2 ? '.789' : ''}Z`,
      String(i + 1),
      i === 6 ? null : String(-i),
      String(2_147_483_647 - i),
      v,
      JSON.stringify({ 'Webpage URL': `https://shop.example/p?q="${i}"`, note: v }),
    ]
      .map(encode)
      .join(DELIMITER[format]),
  );
  return Buffer.from([HEADER.map(encode).join(DELIMITER[format]), ...rows].join('\n') + '\n', 'utf8');
}

interface Converted {
  readonly raw: Buffer;
  readonly headerEnd: number;
  readonly paths: string[];
  readonly rows: number;
}

async function convertWhole(
  rawKey: string,
  raw: Buffer,
  format: RawFormat,
  columns: readonly CuratedColumn[],
  extra: Partial<ConvertSplitInput> = {},
): Promise<Converted> {
  await store.putObject(rawKey, raw, 'text/csv');
  const headerEnd = raw.indexOf('\n') + 1;
  const header = referenceHeader(raw, format);
  const outputKey = rawKey.replace(/^raw\//, 'curated/').replace(/\.\w+$/, '-0.parquet');
  const result = await convertSplit({
    store,
    rawKey,
    format,
    header,
    columns,
    split: { index: 0, start: headerEnd, end: raw.length },
    outputKey,
    firstRecordNumber: 1,
    ...extra,
  });
  return { raw, headerEnd, paths: [path.join(root, result.key)], rows: result.rows };
}

function referenceHeader(raw: Buffer, format: RawFormat): string[] {
  return referenceRowsWithHeader(raw, format)[0]!;
}

function referenceRowsWithHeader(raw: Buffer, format: RawFormat): string[][] {
  const firstLine = raw.subarray(0, raw.indexOf('\n')).toString('utf8');
  return [firstLine.split(format === 'csv' ? ',' : format === 'tsv' ? '\t' : ' ')];
}

async function expectRoundTrip(c: Converted, format: RawFormat, columns: readonly CuratedColumn[]): Promise<void> {
  const expected = referenceRows(c.raw, format, columns);
  expect(c.rows).toBe(expected.length);
  expect(await reader.schema(c.paths)).toEqual(expectedDuckDbSchema(columns));
  const actual = await reader.rows(c.paths, columns);
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i], `record ${i + 1}`).toEqual(expected[i]);
}

describe('convertSplit: every hazard survives, in every Marketo format', () => {
  for (const format of ['CSV', 'TSV', 'SSV'] as const) {
    it(`${format}: LF, CR, CRLF, U+2028, NUL, "" in JSON, emoji/CJK, null and empty values`, async () => {
      const rawFormat = FORMAT_OF[format];
      const c = await convertWhole(
        `raw/hazards/dt=2026-11-01/w_${format}.${rawFormat}`,
        hazardFile(format),
        rawFormat,
        MARKETO_COLUMNS,
      );
      await expectRoundTrip(c, rawFormat, MARKETO_COLUMNS);
      const rows = await reader.rows(c.paths, MARKETO_COLUMNS);
      // Spot checks against literals, not only against the reference parse.
      expect(rows[0]).toEqual([
        'guid-0',
        9_007_199_254_740_993n,
        BigInt(Date.UTC(2026, 10, 1, 12, 34, 56)),
        1,
        0,
        2_147_483_647,
        'line\nfeed',
        '{"Webpage URL":"https://shop.example/p?q=\\"0\\"","note":"line\\nfeed"}',
      ]);
      expect(rows[1]?.[2]).toBe(BigInt(Date.UTC(2026, 10, 2, 12, 34, 56, 789)));
      expect(rows.map((r) => r[6])).toEqual([
        'line\nfeed',
        'carriage\rreturn',
        'cr\r\nlf',
        'line\u2028separator',
        'nul\u0000byte',
        'emoji 🎉 and CJK 漢字テスト, naïve',
        null,
        '',
        ' leading and trailing ',
        'quote " inside',
      ]);
      expect(rows[6]?.[4]).toBeNull();
      expect(await reader.compression(c.paths[0]!)).toEqual(['SNAPPY']);
    });
  }

  for (const format of ['CSV', 'TSV', 'SSV'] as const) {
    it(`${format}: the simulator's export (NUL bytes on) reads back equal`, async () => {
      const request = parseCreateRequest({
        format,
        filter: { createdAt: { startAt: '2026-11-01T00:00:00Z', endAt: '2026-11-02T00:00:00Z' } },
      });
      const gen = new ActivityGenerator({ seed: 11, request, includeNulByte: true, spreadRows: 3000 });
      const raw = Buffer.concat([gen.header, gen.renderRows(0, 3000)]);
      const rawFormat = FORMAT_OF[format];
      const c = await convertWhole(
        `raw/marketo/dt=2026-11-01/g_${format}.${rawFormat}`,
        raw,
        rawFormat,
        MARKETO_COLUMNS,
      );
      expect(c.rows).toBe(3000);
      await expectRoundTrip(c, rawFormat, MARKETO_COLUMNS);
    });
  }
});

describe('convertSplit: Clickwrap', () => {
  // The simulator's documented top-level fields, plus nested ones that carry the hazards.
  const FIELDS = [
    ...DEFAULT_FIELDS,
    'custom_data.vip',
    'custom_data.note',
    'connection_data.page_title',
    'connection_data.screen_color_depth',
  ];
  const TYPES: Record<string, CuratedColumn['type']> = {
    contract: 'bigint',
    group: 'int',
    site: 'int',
    account: 'int',
    created_time: 'timestamp',
    'custom_data.vip': 'boolean',
    'connection_data.screen_color_depth': 'int',
  };
  const COLUMNS = FIELDS.map((f): CuratedColumn => ({
    name: f.replaceAll('.', '_'),
    type: TYPES[f] ?? 'string',
    nullTokens: [''],
  }));

  it('an export with line breaks in values, empty → NULL, ms timestamps, reads back equal', async () => {
    const day = Date.UTC(2026, 10, 1);
    const rows = createActivityStore(5, 800).between(day, day + 86_400_000);
    const raw = toCsv(FIELDS, rows);
    const c = await convertWhole('raw/clickwrap/dt=2026-11-01/w.csv', raw, 'csv', COLUMNS);
    expect(c.rows).toBe(rows.length);
    await expectRoundTrip(c, 'csv', COLUMNS);
    const back = await reader.rows(c.paths, COLUMNS);
    expect(back.map((r) => r[10])).toEqual(rows.map((r) => BigInt(Date.parse(r.created_time))));
    expect(back.some((r) => r[9] === null)).toBe(true); // batch: empty → NULL
    expect(back.some((r) => typeof r[12] === 'string' && r[12].includes('\n'))).toBe(true);
  });
});

describe('convertSplit: splits', () => {
  it('a file converted as several splits gives the same rows, in order, as one split', async () => {
    const request = parseCreateRequest({
      format: 'CSV',
      filter: { createdAt: { startAt: '2026-11-01T00:00:00Z', endAt: '2026-11-02T00:00:00Z' } },
    });
    const gen = new ActivityGenerator({ seed: 3, request, includeNulByte: false, spreadRows: 5000 });
    const rowEnds: number[] = [];
    const body = gen.renderRows(0, 5000, rowEnds);
    const raw = Buffer.concat([gen.header, body]);
    const whole = await convertWhole('raw/marketo/dt=2026-11-01/s.csv', raw, 'csv', MARKETO_COLUMNS, {
      rowGroupMaxRows: 700,
    });

    // A record start every ~64 KiB, as the transfer records them every ~64 MiB.
    const recordStarts = rowEnds.filter((_, i) => i % 200 === 199).map((e) => gen.header.length + e);
    const splits = planSplits({
      fileSize: raw.length,
      headerEnd: gen.header.length,
      recordStarts,
      maxSplitBytes: 300 * 1024,
    });
    expect(splits.length).toBeGreaterThan(2);
    const header = referenceHeader(raw, 'csv');
    const results = await Promise.all(
      splits.map((split) =>
        convertSplit({
          store,
          rawKey: 'raw/marketo/dt=2026-11-01/s.csv',
          format: 'csv',
          header,
          columns: MARKETO_COLUMNS,
          split,
          outputKey: `curated/marketo/dt=2026-11-01/s_split-${split.index}.parquet`,
          rowGroupRawBytes: 100 * 1024,
        }),
      ),
    );
    expect(results.reduce((n, r) => n + r.rows, 0)).toBe(5000);
    const paths = results.map((r) => path.join(root, r.key));
    expect(await reader.rows(paths, MARKETO_COLUMNS)).toEqual(await reader.rows(whole.paths, MARKETO_COLUMNS));
    for (const r of results) {
      expect(await reader.numRows(path.join(root, r.key))).toBe(r.rows);
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect((await store.headObject(r.key))?.size).toBe(r.bytes);
    }
  });

  it('an empty split still writes a valid Parquet object with no rows', async () => {
    const raw = Buffer.from(`${HEADER.join(',')}\n`);
    const c = await convertWhole('raw/marketo/dt=2026-11-01/empty.csv', raw, 'csv', MARKETO_COLUMNS);
    expect(c.rows).toBe(0);
    expect(await reader.rows(c.paths, MARKETO_COLUMNS)).toEqual([]);
  });
});

describe('convertSplit: failures are named and leave nothing behind', () => {
  async function expectNothingWritten(prefix: string): Promise<void> {
    expect(await store.listKeys(prefix)).toEqual([]);
    expect(await store.listPendingUploads(prefix)).toEqual([]);
  }

  it('a non-numeric leadId fails with UntypeableValueError naming key, record, column and value', async () => {
    const row = (guid: string, leadId: string) =>
      `${guid},${leadId},2026-11-01T00:00:00Z,1,1,1,"two\nlines","{""a"":1}"`;
    const raw = Buffer.from(
      [HEADER.join(','), row('g1', '1'), row('g2', '2'), row('g3', '12x'), row('g4', '4')].join('\n') + '\n',
    );
    await store.putObject('raw/bad/dt=2026-11-01/w.csv', raw, 'text/csv');
    const attempt = convertSplit({
      store,
      rawKey: 'raw/bad/dt=2026-11-01/w.csv',
      format: 'csv',
      header: HEADER,
      columns: MARKETO_COLUMNS,
      split: { index: 0, start: raw.indexOf('\n') + 1, end: raw.length },
      outputKey: 'curated/bad/dt=2026-11-01/w-0.parquet',
      firstRecordNumber: 1,
      rowGroupMaxRows: 1,
    });
    await expect(attempt).rejects.toMatchObject({ name: 'UntypeableValueError' });
    await expect(attempt).rejects.toThrow(
      /raw\/bad\/dt=2026-11-01\/w\.csv: record 3 \(byte \d+\), column leadid \(bigint\): not an integer: "12x"/,
    );
    await expectNothingWritten('curated/bad/');
  });

  it('a long untypeable value is quoted short', async () => {
    const raw = Buffer.from(`${HEADER.join(',')}\nguid,1,${'9'.repeat(500)},1,1,1,x,{}\n`);
    await store.putObject('raw/long/w.csv', raw, 'text/csv');
    const attempt = convertSplit({
      store,
      rawKey: 'raw/long/w.csv',
      format: 'csv',
      header: HEADER,
      columns: MARKETO_COLUMNS,
      split: { index: 0, start: raw.indexOf('\n') + 1, end: raw.length },
      outputKey: 'curated/long/w-0.parquet',
    });
    const err = await attempt.then(
      () => new Error('converted'),
      (e: unknown) => e as Error,
    );
    expect(err.name).toBe('UntypeableValueError');
    expect(err.message.length).toBeLessThan(250);
    expect(err.message).toContain('record 1 of the split starting at byte');
  });

  it('a record with a field too many fails with MalformedCsvError', async () => {
    const raw = Buffer.from(`${HEADER.join(',')}\nguid,1,2026-11-01T00:00:00Z,1,1,1,x,{},extra\n`);
    await store.putObject('raw/wide/w.csv', raw, 'text/csv');
    const attempt = convertSplit({
      store,
      rawKey: 'raw/wide/w.csv',
      format: 'csv',
      header: HEADER,
      columns: MARKETO_COLUMNS,
      split: { index: 0, start: raw.indexOf('\n') + 1, end: raw.length },
      outputKey: 'curated/wide/w-0.parquet',
    });
    await expect(attempt).rejects.toMatchObject({ name: 'MalformedCsvError' });
    await expect(attempt).rejects.toThrow(/9 fields, the header 8/);
    await expectNothingWritten('curated/wide/');
  });

  it('an unbalanced quote fails with MalformedCsvError', async () => {
    const raw = Buffer.from(`${HEADER.join(',')}\nguid,1,2026-11-01T00:00:00Z,1,1,1,"open,{}\n`);
    await store.putObject('raw/quote/w.csv', raw, 'text/csv');
    const attempt = convertSplit({
      store,
      rawKey: 'raw/quote/w.csv',
      format: 'csv',
      header: HEADER,
      columns: MARKETO_COLUMNS,
      split: { index: 0, start: raw.indexOf('\n') + 1, end: raw.length },
      outputKey: 'curated/quote/w-0.parquet',
    });
    await expect(attempt).rejects.toMatchObject({ name: 'MalformedCsvError' });
    await expectNothingWritten('curated/quote/');
  });
});

describeWithMoto('convertSplit on S3', () => {
  it('reads its range with GetObject Range and writes the Parquet object by multipart upload', async () => {
    const client = motoS3Client();
    const s3 = new S3ObjectStore({ bucket: await freshBucket(client), client });
    const raw = hazardFile('CSV');
    const rawKey = 'raw/hazards/dt=2026-11-01/w.csv';
    await s3.putObject(rawKey, raw, 'text/csv');
    const headerEnd = raw.indexOf('\n') + 1;
    const out = await convertSplit({
      store: s3,
      rawKey,
      format: 'csv',
      header: HEADER,
      columns: MARKETO_COLUMNS,
      split: { index: 0, start: headerEnd, end: raw.length },
      outputKey: 'curated/hazards/dt=2026-11-01/w-0.parquet',
    });
    const local = path.join(root, 'from-s3.parquet');
    writeFileSync(local, (await s3.getObject(out.key))!.body);
    expect(createHash('sha256').update(readFileSync(local)).digest('hex')).toBe(out.sha256);
    expect(await reader.rows([local], MARKETO_COLUMNS)).toEqual(referenceRows(raw, 'csv', MARKETO_COLUMNS));
    expect(await s3.listPendingUploads('curated/')).toEqual([]);
  });
});
