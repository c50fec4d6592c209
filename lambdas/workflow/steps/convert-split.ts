// ConvertSplit: one split of a verified raw file → one typed Parquet object, staged outside every table
// location (staging/ + its curated key) until WriteManifest publishes the whole window. Splits of a file
// run side by side (a Map); each is whole records, so each converts on its own in flat memory. Under
// `badValues: "null"` the values that cannot be typed are NULL in it and the split's rejects object (the
// `<export>_rejects` table) is staged beside it, published with it.
import { convertSplit as convert } from '#curated/convert-split';
import { writeRejectsObject } from '#curated/rejects';
import { parseOrThrow } from '#shared/validation';
import { curatedColumnsFor } from '../curated-columns';
import { firstRecordNumberOf } from '../first-record-number';
import { curatedRejectsKey, curatedSplitKey, stagedKey } from '#window/keys';
import type { WorkflowRuntime } from '../runtime';
import { ConvertSplitInputSchema, type CuratedPart } from '../state';

export async function convertSplit(event: unknown, rt: WorkflowRuntime): Promise<CuratedPart> {
  const input = parseOrThrow(ConvertSplitInputSchema, event, 'event');
  const { file, split } = input;
  const def = rt.exports.definition(input.export);
  // The part names its final key; the bytes wait at the staged key derived from it.
  const finalKey = curatedSplitKey(def.name, input.window, file, input.fileCount, split.index);
  const outputKey = stagedKey(finalKey);
  const started = rt.clock.now().getTime();
  const result = await convert({
    store: rt.store,
    rawKey: file.key,
    format: file.format,
    header: file.header,
    columns: curatedColumnsFor(def, file.key, file.header),
    split,
    outputKey,
    ...(split.index === 0 ? { firstRecordNumber: 1 } : {}),
    locateFirstRecord: () => firstRecordNumberOf(rt.store, file, split.index),
    badValues: def.badValues,
  });
  const seconds = Math.max(0.001, (rt.clock.now().getTime() - started) / 1000);
  rt.logger.info('split converted', {
    key: result.key,
    rows: result.rows,
    bytes: result.bytes,
    csvBytes: split.end - split.start,
    csvMBps: Math.round((split.end - split.start) / 1e6 / seconds),
    ...(result.rejects.length > 0 ? { rejectedValues: result.rejects.length } : {}),
  });
  const rejectsKey = curatedRejectsKey(def.name, input.window, file, input.fileCount, split.index);
  const staged =
    result.rejects.length === 0
      ? undefined
      : await writeRejectsObject({
          store: rt.store,
          key: stagedKey(rejectsKey),
          window: input.window,
          rawKey: file.key,
          firstRecordNumber: result.firstRecordNumber ?? (await firstRecordNumberOf(rt.store, file, split.index)),
          rejects: result.rejects,
        });
  // Like the split itself, its rejects are named by their final key; the bytes wait staged.
  const rejects = staged ? { ...staged, key: rejectsKey } : undefined;
  rt.events({
    export: def.name,
    step: 'ConvertSplit',
    window: input.window,
    key: result.key,
    message: `${result.rows} rows → ${result.key}${rejects ? ` (${rejects.rows} value(s) NULL, listed in ${rejects.key})` : ''}`,
  });
  return {
    split: split.index,
    key: finalKey,
    uri: rt.uri(finalKey),
    rows: result.rows,
    bytes: result.bytes,
    sha256: result.sha256,
    ...(rejects
      ? {
          rejects: {
            key: rejects.key,
            uri: rt.uri(rejects.key),
            bytes: rejects.bytes,
            sha256: rejects.sha256,
            rows: rejects.rows,
          },
        }
      : {}),
  };
}
