import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/shared/errors';
import { beginTransfer } from '../../../lambdas/transfer/begin-transfer';
import type { ObjectStore } from '../../../lambdas/transfer/object-store';
import { MAX_SOURCE_POSITION_CHARS } from '../../../lambdas/transfer/source-marks';
import { MAX_CURSOR_CHARS, headerFields, parseTransferCursor } from '../../../lambdas/transfer/transfer-cursor';

const stubStore = { createUpload: async () => ({ uploadId: 'u'.repeat(200) }) } as unknown as ObjectStore;

describe('transfer cursor', () => {
  it('starts small even for a long key and upload id, and survives JSON', async () => {
    const cursor = await beginTransfer(
      stubStore,
      { key: `raw/${'k'.repeat(1000)}.csv`, contentType: 'text/csv' },
      { size: 10 ** 12, format: 'tsv' },
    );
    expect(JSON.stringify(cursor).length).toBeLessThan(MAX_CURSOR_CHARS / 2);
    expect(parseTransferCursor(JSON.parse(JSON.stringify(cursor)))).toEqual(cursor);
    expect(cursor.csv.delimiter).toBe('\t');
    expect(cursor.partSize).toBe(96 * 1024 * 1024);
  });

  it('names the bad field of a broken cursor', async () => {
    const cursor = await beginTransfer(stubStore, { key: 'k.csv', contentType: 'text/csv' }, {});
    expect(() => parseTransferCursor({ ...cursor, offset: -1 })).toThrow(ValidationError);
    expect(() => parseTransferCursor({ ...cursor, offset: -1 })).toThrow(/^cursor\.offset:/);
    expect(() => parseTransferCursor({ ...cursor, csv: { ...cursor.csv, delimiter: ';' } })).toThrow(
      /cursor\.csv\.delimiter/,
    );
  });

  it("carries a paged source's position (opaque, bounded) and still stays small", async () => {
    const cursor = await beginTransfer(stubStore, { key: 'k.csv', contentType: 'text/csv' }, {});
    const source = { at: 123_456, position: 't'.repeat(MAX_SOURCE_POSITION_CHARS) };
    const grown = { ...cursor, offset: 200_000, source };
    expect(parseTransferCursor(JSON.parse(JSON.stringify(grown)))).toEqual(grown);
    expect(JSON.stringify(grown).length).toBeLessThan(MAX_CURSOR_CHARS);
    const tooLong = { ...source, position: `${source.position}t` };
    expect(() => parseTransferCursor({ ...cursor, source: tooLong })).toThrow(/^cursor\.source\.position:/);
    expect(() => parseTransferCursor({ ...cursor, source: { at: 1, position: '' } })).toThrow(
      /cursor\.source\.position/,
    );
    expect(() => parseTransferCursor({ ...cursor, source: { position: 'x' } })).toThrow(/cursor\.source\.at/);
  });

  it('carries a header only while it is short', () => {
    expect(headerFields(['a', 'b'])).toEqual({ header: ['a', 'b'] });
    expect(headerFields(Array.from({ length: 500 }, (_, i) => `column_${i}`))).toEqual({ headerColumns: 500 });
    expect(headerFields(undefined)).toEqual({});
  });
});
