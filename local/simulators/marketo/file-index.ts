// Runs a job's generator once, as a stream, to learn what its file is: exact size, SHA-256, record
// count, and a sparse index of (byte offset, row) checkpoints so a Range request can start rendering
// near its offset. Memory stays at one chunk whatever the file size.
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ActivityGenerator, type GeneratorSpec } from './activity-generator';
import type { RowSource } from './row-source';

/** How much a job should produce: a record count, or rows until the file is at least `bytes` long. */
export type VolumeTarget = { readonly records: number } | { readonly bytes: number };

/** Rows rendered and encoded together; a chunk is roughly 50-100 KB. */
export const ROWS_PER_CHUNK = 256;

export const DEFAULT_CHECKPOINT_BYTES = 4 * 1024 * 1024;

const YIELD_EVERY_BYTES = 1024 * 1024;
const SAMPLE_ROWS = 512;

/** A place rendering can restart from: `row` starts at byte `offset` (row -1 is the header at 0). */
export interface FileCheckpoint {
  readonly offset: number;
  readonly row: number;
}

export interface FileIndex {
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
  readonly records: number;
  readonly checkpoints: readonly FileCheckpoint[];
}

/**
 * Builds the generator for a volume target. For a byte target the date spread needs a row count up
 * front: estimate it from a sample (a row's length does not depend on its date, which is fixed-width).
 */
export function planGenerator(base: Omit<GeneratorSpec, 'spreadRows'>, volume: VolumeTarget): ActivityGenerator {
  return planRows((spreadRows) => new ActivityGenerator({ ...base, spreadRows }), volume);
}

/** The same plan for any row source made for a number of rows to spread its dates over. */
export function planRows<T extends RowSource>(make: (spreadRows: number) => T, volume: VolumeTarget): T {
  if ('records' in volume) return make(volume.records);
  const sampler = make(1);
  const average = sampler.renderRows(0, SAMPLE_ROWS).length / SAMPLE_ROWS;
  const estimate = Math.max(1, Math.ceil((volume.bytes - sampler.header.length) / average));
  return make(estimate);
}

/** Yields the file as chunks starting at `row` (-1: the header), never past `rowLimit` rows. */
export function* renderChunks(generator: RowSource, row: number, rowLimit: number): Generator<Buffer> {
  let next = row;
  if (next < 0) {
    yield generator.header;
    next = 0;
  }
  while (next < rowLimit) {
    const end = Math.min(rowLimit, next + ROWS_PER_CHUNK);
    yield generator.renderRows(next, end);
    next = end;
  }
}

export async function buildFileIndex(
  generator: RowSource,
  volume: VolumeTarget,
  options: { checkpointBytes?: number; signal?: AbortSignal } = {},
): Promise<FileIndex> {
  const checkpointBytes = options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
  const rowLimit = 'records' in volume ? volume.records : Number.POSITIVE_INFINITY;
  const byteTarget = 'bytes' in volume ? volume.bytes : Number.POSITIVE_INFINITY;
  const hash = createHash('sha256');
  const checkpoints: FileCheckpoint[] = [{ offset: 0, row: -1 }];
  hash.update(generator.header);
  let offset = generator.header.length;
  let lastCheckpoint = 0;
  let sinceYield = 0;
  let row = 0;
  while (row < rowLimit && offset < byteTarget) {
    if (offset - lastCheckpoint >= checkpointBytes) {
      checkpoints.push({ offset, row });
      lastCheckpoint = offset;
    }
    const end = Math.min(rowLimit, row + ROWS_PER_CHUNK);
    const rowEnds: number[] = [];
    let chunk = generator.renderRows(row, end, rowEnds);
    if (offset + chunk.length >= byteTarget) {
      // The target falls inside this chunk: keep rows up to the one that reaches it.
      const kept = rowEnds.findIndex((rowEnd) => offset + rowEnd >= byteTarget) + 1;
      chunk = chunk.subarray(0, rowEnds[kept - 1] ?? chunk.length);
      row += kept;
    } else {
      row = end;
    }
    hash.update(chunk);
    offset += chunk.length;
    sinceYield += chunk.length;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      // Let HTTP traffic through: an index of several GiB takes seconds of CPU.
      sinceYield = 0;
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
    }
  }
  return { size: offset, sha256: hash.digest('hex'), records: row, checkpoints };
}
