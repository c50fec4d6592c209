import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRecordCounter, endOfFirstRecord, initialCsvState } from '../../../lambdas/transfer/csv-record-counter';
import { readHeader } from '../../../lambdas/transfer/csv-header';
import { ACTIVITY_HEADER, makeActivityCsv } from './support/activity-csv';

/** csv-parse's own count of the same bytes: the ground truth. */
function csvParseRows(data: Buffer, delimiter = ','): number {
  const rows: unknown[] = parse(data, {
    delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  return rows.length;
}

/** Counts `data` fed in pieces cut at `cuts`, the state passing through JSON between pieces (as in the cursor). */
function countInPieces(data: Buffer, cuts: number[], delimiter: ',' | '\t' | ' ' = ','): number {
  let state = initialCsvState(delimiter);
  let from = 0;
  for (const cut of [...cuts, data.length]) {
    const counter = new CsvRecordCounter(JSON.parse(JSON.stringify(state)));
    counter.update(data.subarray(from, cut));
    state = counter.state();
    from = cut;
  }
  return new CsvRecordCounter(state).finalRows();
}

describe('CsvRecordCounter', () => {
  it('counts what csv-parse counts on data full of hazards', () => {
    for (const seed of [1, 2, 3]) {
      const { data, records } = makeActivityCsv({ size: 200_000, seed });
      expect(csvParseRows(data)).toBe(records + 1);
      expect(countInPieces(data, [])).toBe(records + 1);
    }
  });

  it('counts the same wherever the bytes are cut, even inside quotes, escaped quotes and CRLF', () => {
    const sample = Buffer.from('h1,h2\n"a\nb",x\n"say ""hi""",y\r\n"q\r\n",z\nplain "mid" quote,w\n\n"",last');
    const truth = csvParseRows(sample);
    expect(truth).toBe(6);
    for (let i = 0; i <= sample.length; i++) {
      for (let j = i; j <= sample.length; j += 3) expect(countInPieces(sample, [i, j]), `cuts ${i},${j}`).toBe(truth);
    }
  });

  it('counts a quoted newline that straddles a cut once', () => {
    const { data, records } = makeActivityCsv({ size: 50_000, seed: 9, quotedNewlineAt: [20_000, 40_000] });
    expect(data[20_000]).toBe(0x0a);
    for (const cut of [19_999, 20_000, 20_001]) expect(countInPieces(data, [cut, 40_000])).toBe(records + 1);
  });

  it('counts a last line without a line end, and ignores empty lines', () => {
    expect(countInPieces(Buffer.from('a,b\n1,2'), [])).toBe(2);
    expect(countInPieces(Buffer.from('a,b\n\n1,2\n\r\n'), [])).toBe(2);
    expect(countInPieces(Buffer.from(''), [])).toBe(0);
  });

  it('respects the delimiter when deciding whether a quote opens a field', () => {
    const tsv = Buffer.from('a\tb\n"x\ny"\tz\nw"q\tr\n');
    expect(countInPieces(tsv, [5], '\t')).toBe(csvParseRows(tsv, '\t'));
    // With ',' the quote after the tab is mid-field, so the newline inside it ends a record.
    const notOpening = Buffer.from('a\tb\nk\t"x\ny"\n');
    expect(countInPieces(notOpening, [], ',')).toBe(3);
    expect(countInPieces(notOpening, [], '\t')).toBe(2);
  });

  it('finds the end of the first record and reads the header with csv-parse', () => {
    const data = Buffer.from('\ufeff"id","multi\nline"\n1,2\n');
    expect(endOfFirstRecord(data)).toBe(Buffer.from('\ufeff"id","multi\nline"\n').length);
    expect(readHeader(data, ',', true)).toEqual(['id', 'multi\nline']);
    expect(readHeader(Buffer.from('a,b'), ',', true)).toEqual(['a', 'b']);
    expect(readHeader(Buffer.from('a,b'), ',', false)).toBeUndefined();
    const { data: csv } = makeActivityCsv({ size: 10_000 });
    expect(readHeader(csv, ',', false)).toEqual(ACTIVITY_HEADER);
  });
});
