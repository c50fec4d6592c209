// A small table already in memory (a reference table: a few hundred rows) → one Parquet object, with
// the same encoder, types and upload as the converted splits.
import type { ObjectStore } from '#transfer/object-store';
import type { CuratedColumn } from './curated-column';
import { hyparquetEncoder } from './hyparquet-encoder';
import { StreamingObjectUpload, type UploadedObject } from './object-upload';
import { TypingFailure, typeValue, type TypedValue } from './typed-value';
import { UntypeableValueError } from '#shared/errors';

export async function writeParquetRows(
  store: ObjectStore,
  key: string,
  columns: readonly CuratedColumn[],
  rows: readonly Readonly<Record<string, string | number | null>>[],
): Promise<UploadedObject & { rows: number }> {
  const data: TypedValue[][] = columns.map((column) =>
    rows.map((row, i) => {
      const raw = row[column.name];
      if (raw === null || raw === undefined) return null;
      const value = typeValue(column, String(raw));
      if (value instanceof TypingFailure)
        throw new UntypeableValueError(`${key}: row ${i + 1}, column ${column.name} (${column.type}): ${value.reason}`);
      return value;
    }),
  );
  const upload = new StreamingObjectUpload(store, key, 'application/vnd.apache.parquet');
  try {
    const encoder = hyparquetEncoder(columns, (bytes) => upload.append(bytes));
    await encoder.writeRowGroup(data, rows.length);
    await encoder.finish();
    return { ...(await upload.complete()), rows: rows.length };
  } catch (err) {
    await upload.abort();
    throw err;
  }
}
