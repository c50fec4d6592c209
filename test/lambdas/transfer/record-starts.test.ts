// Split points recorded while counting: every listed offset is where a record starts according to a
// strict csv-parse of the whole file, and the list is the same wherever the bytes are cut.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  CsvRecordCounter,
  MAX_RECORD_STARTS,
  type RecordStarts,
  initialCsvState,
  recordStartInterval,
} from '../../../lambdas/transfer/csv-record-counter';
import { httpRangeOpener } from '../../../lambdas/transfer/http-range-opener';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { MAX_CURSOR_CHARS } from '../../../lambdas/transfer/transfer-cursor';
import { beginTransfer, finishTransfer } from '../../../lambdas/transfer/transfer-file';
import { randomCsv } from './support/random-csv';
import { startRangeSource } from './support/range-source-server';
import { MIB, runChunks } from './support/transfer-harness';

/** Both line ends the data uses (csv-parse otherwise takes the first it meets as the only one). */
const STRICT_DELIMITERS = ['\r\n', '\n'];

/** Offsets of the first byte of every record, per csv-parse (strict: no relax options). */
function csvParseStarts(data: Buffer): { starts: Set<number>; records: string[][] } {
  const rows = parse(data, { info: true, record_delimiter: STRICT_DELIMITERS }) as unknown as {
    record: string[];
    info: { bytes: number };
  }[];
  return { starts: new Set([0, ...rows.slice(0, -1).map((r) => r.info.bytes)]), records: rows.map((r) => r.record) };
}

/** Counts `data` cut at `cuts`, counter state and starts passing through JSON between pieces. */
function startsInPieces(data: Buffer, cuts: number[], interval: number): { starts: RecordStarts; rows: number } {
  let state = initialCsvState();
  let recordStarts: RecordStarts = { interval, starts: [] };
  let from = 0;
  for (const cut of [...cuts, data.length]) {
    const counter = new CsvRecordCounter(JSON.parse(JSON.stringify(state)), {
      offset: from,
      recordStarts: JSON.parse(JSON.stringify(recordStarts)),
    });
    counter.update(data.subarray(from, cut));
    state = counter.state();
    recordStarts = counter.recordStarts();
    from = cut;
  }
  return { starts: recordStarts, rows: new CsvRecordCounter(state).finalRows() };
}

describe('record starts', () => {
  it('lists only offsets where a strict csv-parse starts a record, and parsing from one gives the rest of the file', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const data = randomCsv(seed, 400);
      const truth = csvParseStarts(data);
      const { starts, rows } = startsInPieces(data, [], 97);
      expect(rows).toBe(truth.records.length);
      expect(starts.starts.length).toBeGreaterThan(10);
      for (const at of starts.starts) {
        expect(truth.starts.has(at), `seed ${seed} offset ${at}`).toBe(true);
        const tail = parse(data.subarray(at), { record_delimiter: STRICT_DELIMITERS }) as string[][];
        expect(tail).toEqual(truth.records.slice(truth.records.length - tail.length));
      }
      // About one per interval: each at least an interval after the one before.
      starts.starts.forEach((at, k) => expect(at - (starts.starts[k - 1] ?? 0)).toBeGreaterThanOrEqual(97));
    }
  });

  it('gives the same starts and count wherever the bytes are cut, one cut or three', () => {
    for (const seed of [11, 12]) {
      const data = randomCsv(seed, 60);
      const whole = startsInPieces(data, [], 53);
      expect(whole.rows).toBe(csvParseStarts(data).records.length);
      for (let i = 0; i <= data.length; i++) expect(startsInPieces(data, [i], 53), `cut ${i}`).toEqual(whole);
      let x = seed;
      for (let t = 0; t < 300; t++) {
        x = (x * 1103515245 + 12345) % 2 ** 31;
        const cuts = [x % data.length, (x >> 7) % data.length, (x >> 13) % data.length].sort((a, b) => a - b);
        expect(startsInPieces(data, cuts, 53), `cuts ${cuts.join(',')}`).toEqual(whole);
      }
    }
  });

  it('never lists more than the cap: an unknown-size file thins them and widens the interval', () => {
    const data = randomCsv(21, 3000);
    const { starts } = startsInPieces(data, [1000, 50_000], 16);
    expect(starts.starts.length).toBeLessThanOrEqual(MAX_RECORD_STARTS);
    expect(starts.starts.length).toBeGreaterThanOrEqual(MAX_RECORD_STARTS / 2);
    expect(starts.interval).toBeGreaterThan(16);
    const truth = csvParseStarts(data);
    for (const at of starts.starts) expect(truth.starts.has(at)).toBe(true);
  });

  it('travel in the cursor across invocations and come back from finishTransfer', async () => {
    const data = randomCsv(31, 800_000);
    const root = await mkdtemp(join(tmpdir(), 'record-starts-'));
    const source = await startRangeSource(data);
    try {
      const store = new LocalDirObjectStore({ root });
      const file = { size: data.length };
      const start = await beginTransfer(store, { key: 'raw/x/dt=2024-01-01/f.csv', contentType: 'text/csv' }, file, {
        partSize: 5 * MIB,
        recordStartInterval: MIB,
      });
      const { cursors, last } = await runChunks({ store, openRange: httpRangeOpener(source.url), file }, start);
      expect(cursors.length - 1).toBeGreaterThanOrEqual(3);
      for (const c of cursors) expect(JSON.stringify(c).length).toBeLessThan(MAX_CURSOR_CHARS / 2);
      const result = await finishTransfer(store, { size: data.length }, last);
      // The counter over the whole file in one piece is checked against csv-parse above (csv-parse
      // itself takes ~15 s on these 12 MB with two line ends).
      const whole = startsInPieces(data, [], MIB);
      expect(result.recordStarts.length).toBeGreaterThanOrEqual(Math.floor(data.length / MIB) - 1);
      expect(result.recordStarts).toEqual(whole.starts.starts);
      for (const at of result.recordStarts) expect(data[at - 1]).toBe(0x0a);
      expect(result.records).toBe(whole.rows - 1);
    } finally {
      await source.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('chooses the interval from the file size so a file of several GiB keeps the cursor small', () => {
    const MiB = 1024 * 1024;
    expect(recordStartInterval(64 * MiB, 2 * 1024 * MiB)).toBe(64 * MiB);
    expect(recordStartInterval(64 * MiB, 10 * 1024 * MiB)).toBe(160 * MiB);
    expect(recordStartInterval(64 * MiB, undefined)).toBe(64 * MiB);
    expect(Math.ceil((10 * 1024 * MiB) / recordStartInterval(64 * MiB, 10 * 1024 * MiB))).toBeLessThanOrEqual(
      MAX_RECORD_STARTS,
    );
  });
});
