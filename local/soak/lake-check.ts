// The end-of-soak proof that the lake is right: for every landed window (a manifest), the raw files are
// the bytes the manifest lists, those bytes are the simulator's own for that window, nothing but the
// manifest's Parquet objects lives under the window's curated prefix, and the Parquet rows equal a
// strict RFC-4180 parse of the raw files, value by value, typed as the export's dataset declares.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { CSV_DELIMITER_OF, type CuratedColumn } from '#curated/curated-column';
import { TypingFailure, typeValue, type TypedValue } from '#curated/typed-value';
import { tableLayout } from '#providers/descriptors';
import type { ExportDefinition } from '#shared/export-definition';
import type { Manifest } from '#window/manifest';
import { curatedWindowPrefix } from '#window/keys';

export interface WindowCheck {
  readonly export: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly records: number;
  /** Empty: the window is right. Otherwise what is wrong, one line each. */
  readonly problems: readonly string[];
}

/** The simulator's truth about a window: the SHA-256 of each file it serves for that job. */
export type GroundTruth = (manifest: Manifest, fileIndex: number) => Promise<string | undefined>;

export async function checkLandedWindow(
  root: string,
  def: ExportDefinition,
  manifest: Manifest,
  truth: GroundTruth,
): Promise<WindowCheck> {
  const problems: string[] = [];
  const layout = tableLayout(def);
  const columns: CuratedColumn[] = layout.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullTokens: layout.nullTokens,
  }));
  const listed = new Set<string>();
  for (const [i, file] of manifest.files.entries()) {
    const raw = await readFile(path.join(root, file.key)).catch(() => undefined);
    if (!raw) {
      problems.push(`${file.key}: missing`);
      continue;
    }
    const sha = createHash('sha256').update(raw).digest('hex');
    if (sha !== file.sha256 || raw.length !== file.bytes)
      problems.push(`${file.key}: not the bytes the manifest lists`);
    const indexMatch = /_(\d+)\.\w+$/.exec(file.key);
    const expected = await truth(manifest, indexMatch ? Number(indexMatch[1]) : i + 1);
    if (expected === undefined) problems.push(`${file.key}: the simulator has no file for job ${manifest.job.id}`);
    else if (expected !== sha) problems.push(`${file.key}: differs from the simulator's file (sha256 ${expected})`);
    for (const c of file.curated) listed.add(c.key);
    try {
      const reference = referenceRows(raw, layout.format, columns);
      const parquet = await parquetRows(
        file.curated.map((c) => path.join(root, c.key)),
        columns,
      );
      if (reference.length !== parquet.length)
        problems.push(`${file.key}: ${parquet.length} Parquet rows, ${reference.length} records in the strict parse`);
      const at = reference.findIndex((row, r) => comparable(row) !== comparable(parquet[r] ?? []));
      if (at >= 0) problems.push(`${file.key}: record ${at + 1} differs between the Parquet and the strict parse`);
    } catch (err) {
      problems.push(`${file.key}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const prefix = curatedWindowPrefix(def.name, manifest.window);
  const dir = path.join(root, path.dirname(prefix));
  const present = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => !n.startsWith('.') && !n.startsWith('_'))
    .map((n) => `${path.dirname(prefix)}/${n}`)
    .filter((key) => key.startsWith(prefix));
  for (const key of present) if (!listed.has(key)) problems.push(`${key}: readable but not in the manifest`);
  for (const key of listed) if (!present.includes(key)) problems.push(`${key}: in the manifest but missing`);
  return { export: def.name, window: manifest.window, records: manifest.records.curated, problems };
}

/** The strict parse of a raw file (header dropped), each field typed as its column says. */
function referenceRows(raw: Buffer, format: keyof typeof CSV_DELIMITER_OF, columns: readonly CuratedColumn[]) {
  const records = parse(raw, {
    delimiter: CSV_DELIMITER_OF[format],
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
  }) as string[][];
  return records.slice(1).map((record, r) =>
    record.map((field, i) => {
      const value = typeValue(columns[i]!, field);
      if (value instanceof TypingFailure) throw new Error(`record ${r + 1}: ${field} is untypeable: ${value.reason}`);
      return value;
    }),
  );
}

/** The Parquet objects read back by DuckDB in part order, dates and timestamps as the converter stores them. */
async function parquetRows(files: readonly string[], columns: readonly CuratedColumn[]): Promise<TypedValue[][]> {
  if (files.length === 0) return [];
  const list = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
  const select = columns
    .map((c) => {
      const name = `"${c.name}"`;
      if (c.type === 'date') return `CAST(${name} - DATE '1970-01-01' AS INTEGER)`;
      if (c.type === 'timestamp') return `epoch_ms(${name})`;
      return name;
    })
    .join(', ');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT ${select} FROM read_parquet(${list}, hive_partitioning = false, filename = true, file_row_number = true) ORDER BY list_position(${list}, filename), file_row_number`,
    );
    return reader.getRows().map((row) => row.map((v) => v as TypedValue));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Numbers compare by value whether DuckDB hands back a number or a bigint. */
function comparable(row: readonly unknown[]): string {
  return JSON.stringify(row, (_key, v: unknown) => (typeof v === 'bigint' || typeof v === 'number' ? String(v) : v));
}
