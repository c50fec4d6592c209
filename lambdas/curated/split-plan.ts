// Where a large raw file is cut for conversion: at record starts the transfer recorded, so each split
// is whole records and can be converted on its own, in flat memory, in parallel with the others.

export interface Split {
  readonly index: number;
  /** Byte offset of the split's first record. */
  readonly start: number;
  readonly end: number;
}

export interface SplitPlanInput {
  readonly fileSize: number;
  /** Offset just past the header row: split 0 starts at the first data record. */
  readonly headerEnd: number;
  /** Offsets where a record begins (any order, duplicates allowed), as recorded by the transfer. */
  readonly recordStarts: readonly number[];
  /** Largest split wanted; a split is larger only when no record start falls inside it. */
  readonly maxSplitBytes: number;
}

/**
 * Splits covering [headerEnd, fileSize) with no gap, each ending at a record start (or the file's end)
 * and at most maxSplitBytes long where the record starts allow. An empty body gives one empty split,
 * so every file has at least one curated object.
 */
export function planSplits(input: SplitPlanInput): Split[] {
  const { fileSize, headerEnd, maxSplitBytes } = input;
  if (!(maxSplitBytes > 0)) throw new RangeError(`maxSplitBytes must be positive, got ${maxSplitBytes}`);
  if (headerEnd < 0 || headerEnd > fileSize)
    throw new RangeError(`header end ${headerEnd} is outside the file (${fileSize} bytes)`);
  const cuts = [...new Set(input.recordStarts)].filter((o) => o > headerEnd && o < fileSize).sort((a, b) => a - b);
  const splits: Split[] = [];
  let start = headerEnd;
  let lastCut = start;
  for (const cut of cuts) {
    // Cut at the last record start that keeps the split within bounds; a single record start beyond
    // the bound (no earlier one available) is taken anyway, or the split would never end.
    if (cut - start > maxSplitBytes && lastCut > start) {
      splits.push({ index: splits.length, start, end: lastCut });
      start = lastCut;
    }
    if (cut - start > maxSplitBytes) {
      splits.push({ index: splits.length, start, end: cut });
      start = cut;
    }
    lastCut = cut;
  }
  if (fileSize - start > maxSplitBytes && lastCut > start) {
    splits.push({ index: splits.length, start, end: lastCut });
    start = lastCut;
  }
  splits.push({ index: splits.length, start, end: fileSize });
  return splits;
}
