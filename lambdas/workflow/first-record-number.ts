// The 1-based number, in its raw file, of a split's first record. Splits are cut at byte offsets (the
// record starts the transfer listed carry no record numbers), so a later split learns its number by
// counting the records before it, with the transfer's own counter. Only a split that has something to
// report by record pays for it (its rejects): reading the file up to the split is one sequential pass.
import { CSV_DELIMITER_OF } from '#curated/curated-column';
import { CsvRecordCounter, initialCsvState } from '#transfer/csv-record-counter';
import type { ObjectStore } from '#transfer/object-store';
import type { FileResult } from './state';

export async function firstRecordNumberOf(
  store: ObjectStore,
  file: Pick<FileResult, 'key' | 'format' | 'splits'>,
  splitIndex: number,
): Promise<number> {
  const first = file.splits[0];
  const split = file.splits[splitIndex];
  if (!first || !split) throw new RangeError(`${file.key} has no split ${splitIndex}`);
  if (split.start <= first.start) return 1;
  const counter = new CsvRecordCounter(initialCsvState(CSV_DELIMITER_OF[file.format]));
  const source = await store.openRead(file.key, { start: first.start, endExclusive: split.start });
  for await (const chunk of source as AsyncIterable<Buffer>) counter.update(chunk);
  return counter.finalRows() + 1;
}
