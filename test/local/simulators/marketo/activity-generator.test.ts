import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ActivityGenerator } from '../../../../local/simulators/marketo/activity-generator';
import { parseCreateRequest } from '../../../../local/simulators/marketo/create-request';
import { DEFAULT_POISON_VALUE, poisonFor } from '../../../../local/simulators/marketo/faults';
import { buildFileIndex, planGenerator, renderChunks } from '../../../../local/simulators/marketo/file-index';
import { openFileRange } from '../../../../local/simulators/marketo/file-range-stream';
import { sha256 } from './sim-client';

const request = parseCreateRequest({
  filter: { createdAt: { startAt: '2024-04-01T00:00:00Z', endAt: '2024-04-08T00:00:00Z' } },
});
const base = { seed: 7, request, includeNulByte: false };

describe('ActivityGenerator', () => {
  it('renders each row as a pure function of its index, so rendering may start anywhere', () => {
    const a = new ActivityGenerator({ ...base, spreadRows: 2000 });
    const b = new ActivityGenerator({ ...base, spreadRows: 2000 });
    const ends: number[] = [];
    const whole = a.renderRows(0, 2000, ends);
    const rowByRow = Buffer.concat(
      Array.from({ length: 2000 }, (_, i) => Buffer.from(b.renderRow(1999 - i))).reverse(),
    );
    expect(rowByRow.equals(whole)).toBe(true);
    expect(b.renderRows(700, 1300).equals(whole.subarray(ends[699], ends[1299]))).toBe(true);
  });

  it('keeps every row within maxRowBytes', () => {
    const gen = new ActivityGenerator({ ...base, includeNulByte: true, spreadRows: 5000 });
    const ends: number[] = [];
    gen.renderRows(0, 5000, ends);
    const lengths = ends.map((end, i) => end - (ends[i - 1] ?? 0));
    expect(Math.max(...lengths)).toBeLessThanOrEqual(gen.maxRowBytes);
  });
});

describe('the poisonValue fault', () => {
  it("puts the value in the row's activityDate and changes nothing else", () => {
    const clean = new ActivityGenerator({ ...base, spreadRows: 300 });
    const poisoned = new ActivityGenerator({ ...base, spreadRows: 300, poison: { row: 41, value: 'not-a-date' } });
    for (let i = 0; i < 300; i++) {
      if (i === 41) continue;
      expect(poisoned.renderRow(i)).toBe(clean.renderRow(i));
    }
    const fields = poisoned.renderRow(41).split(',');
    expect(fields[2]).toBe('not-a-date');
    expect(clean.renderRow(41).split(',')[2]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('aims at one window by its start, or every window', () => {
    const at = Date.parse('2024-04-07T00:00:00Z');
    expect(poisonFor({ poisonValue: { startMs: at } }, at)).toEqual({ row: 0, value: DEFAULT_POISON_VALUE });
    expect(poisonFor({ poisonValue: { startMs: at } }, at + 86_400_000)).toBeUndefined();
    expect(poisonFor({ poisonValue: { row: 3, value: 'x' } }, at)).toEqual({ row: 3, value: 'x' });
    expect(poisonFor({}, at)).toBeUndefined();
  });
});

describe('file index', () => {
  it('records checkpoints from which rendering reproduces the file exactly', async () => {
    const gen = planGenerator(base, { records: 6000 });
    const index = await buildFileIndex(gen, { records: 6000 }, { checkpointBytes: 64 * 1024 });
    const whole = Buffer.concat([...renderChunks(gen, -1, index.records)]);
    expect([whole.length, sha256(whole), index.records]).toEqual([index.size, index.sha256, 6000]);
    expect(index.checkpoints.length).toBeGreaterThan(10);
    for (const checkpoint of index.checkpoints) {
      const from = Buffer.concat([...renderChunks(gen, checkpoint.row, index.records)]);
      expect(from.equals(whole.subarray(checkpoint.offset)), `checkpoint ${checkpoint.row}`).toBe(true);
    }
    for (const [start, end] of [
      [0, index.size - 1],
      [65_536 * 3 - 1, 65_536 * 7 + 5],
      [index.size - 1, index.size - 1],
    ] as const) {
      expect((await buffer(openFileRange(gen, index, start, end))).equals(whole.subarray(start, end + 1))).toBe(true);
    }
  });

  it('stops a byte-target file at the first row that reaches the target', async () => {
    const target = 123_457;
    const gen = planGenerator(base, { bytes: target });
    const index = await buildFileIndex(gen, { bytes: target });
    expect(index.size).toBeGreaterThanOrEqual(target);
    const lastRow = Buffer.byteLength(gen.renderRow(index.records - 1));
    expect(index.size - lastRow).toBeLessThan(target);
  });
});
