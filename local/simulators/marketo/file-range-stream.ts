// Streams bytes [start, endInclusive] of a job's file by rendering from the nearest checkpoint at or
// before `start`. Pull-based: a chunk is rendered only when the consumer asks (backpressure).
import { Readable } from 'node:stream';
import { renderChunks, type FileIndex } from './file-index';
import type { RowSource } from './row-source';

function checkpointFor(index: FileIndex, start: number) {
  let best = index.checkpoints[0] ?? { offset: 0, row: -1 };
  for (const checkpoint of index.checkpoints) {
    if (checkpoint.offset <= start) best = checkpoint;
    else break;
  }
  return best;
}

export function openFileRange(generator: RowSource, index: FileIndex, start: number, endInclusive: number): Readable {
  if (start < 0 || endInclusive >= index.size || start > endInclusive + 1) {
    throw new RangeError(`range ${start}-${endInclusive} outside a file of ${index.size} bytes`);
  }
  const checkpoint = checkpointFor(index, start);
  const chunks = renderChunks(generator, checkpoint.row, index.records);
  let chunkStart = checkpoint.offset;
  let position = start;
  return new Readable({
    read() {
      while (position <= endInclusive) {
        const next = chunks.next();
        if (next.done) break;
        const chunk = next.value;
        const base = chunkStart;
        chunkStart += chunk.length;
        const from = position - base;
        if (from >= chunk.length) continue;
        const piece = chunk.subarray(from, Math.min(chunk.length, endInclusive + 1 - base));
        position += piece.length;
        this.push(piece);
        return;
      }
      this.push(null);
    },
  });
}
