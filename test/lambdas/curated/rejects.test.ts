// badValues "null" in the converter: an untypeable value is NULL in the Parquet and comes back as a
// reject (record within the split, column, why), its raw text redacted and cut to 256 characters; more
// rejects than a split may hold fail it by name, and malformed CSV still fails whatever the setting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertSplit } from '../../../lambdas/curated/convert-split';
import { MAX_REJECT_VALUE_CHARS, storedRawValue } from '../../../lambdas/curated/rejects';
import { registerSecret } from '../../../lambdas/shared/redact';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { MARKETO_COLUMNS, ParquetReader } from './curated-fixtures';

const HEADER = MARKETO_COLUMNS.map((c) => c.name);
const row = (leadId: string, date: string) => `g,${leadId},${date},1,1,1,"two\nlines",{}`;
const GOOD = '2026-11-01T00:00:00Z';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function convert(store: MemoryObjectStore, rows: string[], extra: { maxRejects?: number } = {}) {
  const raw = Buffer.from(`${HEADER.join(',')}\n${rows.join('\n')}\n`);
  store.seed('raw/x/w.csv', raw, 'text/csv');
  return convertSplit({
    store,
    rawKey: 'raw/x/w.csv',
    format: 'csv',
    header: HEADER,
    columns: MARKETO_COLUMNS,
    split: { index: 0, start: raw.indexOf('\n') + 1, end: raw.length },
    outputKey: 'curated/x/w-0001.parquet',
    firstRecordNumber: 1,
    badValues: 'null',
    ...extra,
  });
}

describe('storedRawValue', () => {
  it('keeps a short value as it is', () => {
    expect(storedRawValue('last tuesday')).toBe('last tuesday');
  });

  it('blanks registered secrets and credential shapes', () => {
    registerSecret('s3cr3t-client-value');
    expect(storedRawValue('id s3cr3t-client-value')).toBe('id [redacted]');
    expect(storedRawValue('Authorization: Bearer abcdefghijklmnop')).not.toContain('abcdefghijklmnop');
  });

  it('cuts a long value to the bound, with a marker saying how long it was', () => {
    const stored = storedRawValue('9'.repeat(5000));
    expect(stored.length).toBe(MAX_REJECT_VALUE_CHARS);
    expect(stored).toMatch(/^9+…\[cut, 5000 chars\]$/);
  });
});

describe('convertSplit with badValues "null"', () => {
  it('writes each untypeable value as NULL (the row stays) and returns it as a reject', async () => {
    const store = new MemoryObjectStore('b');
    const result = await convert(store, [row('1', GOOD), row('12x', GOOD), row('3', 'soon'), row('4', GOOD)]);
    expect(result.rows).toBe(4);
    expect(result.rejects).toEqual([
      { recordInSplit: 2, column: 'leadid', type: 'bigint', reason: 'not an integer', rawValue: '12x', rawLength: 3 },
      {
        recordInSplit: 3,
        column: 'activitydate',
        type: 'timestamp',
        reason: 'not an ISO-8601 timestamp with Z or an offset',
        rawValue: 'soon',
        rawLength: 4,
      },
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'rejects-'));
    dirs.push(dir);
    const local = path.join(dir, 'p.parquet');
    writeFileSync(local, (await store.getObject(result.key))!.body);
    const rows = await (await ParquetReader.open()).rows([local], MARKETO_COLUMNS);
    const ms = BigInt(Date.parse(GOOD));
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      [1n, ms],
      [null, ms],
      [3n, null],
      [4n, ms],
    ]);
  });

  it('fails with TooManyRejectsError past the cap, naming the place, and leaves no object', async () => {
    const store = new MemoryObjectStore('b');
    const attempt = convert(store, [row('a', GOOD), row('b', GOOD), row('c', GOOD)], { maxRejects: 2 });
    await expect(attempt).rejects.toMatchObject({ name: 'TooManyRejectsError' });
    await expect(attempt).rejects.toThrow(/record 3 .*column leadid \(bigint\): more than 2 values/);
    expect(await store.listKeys('curated/')).toEqual([]);
    expect(await store.listPendingUploads('curated/')).toEqual([]);
  });

  it('still fails a malformed record (structure is never nulled)', async () => {
    const store = new MemoryObjectStore('b');
    await expect(convert(store, [row('1', GOOD), `${row('2', GOOD)},extra`])).rejects.toMatchObject({
      name: 'MalformedCsvError',
    });
    expect(await store.listKeys('curated/')).toEqual([]);
  });
});
