// Column specs as the provider descriptors declare them, the reference parse of a raw file, and the
// Parquet read back through DuckDB (an independent reader), both normalized to comparable values.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import {
  CSV_DELIMITER_OF,
  DUCKDB_TYPE_OF,
  type CuratedColumn,
  type RawFormat,
} from '../../../lambdas/curated/curated-column';
import { TypingFailure, typeValue, type TypedValue } from '../../../lambdas/curated/typed-value';
import { tableLayout } from '../../../lambdas/providers/descriptors';

const marketoLayout = tableLayout({ provider: 'marketo', dataset: 'activities', request: {} });

/** Marketo's default activity columns as its dataset descriptor declares them (what ConvertSplit uses). */
export const MARKETO_COLUMNS: readonly CuratedColumn[] = marketoLayout.columns.map((c) => ({
  name: c.name,
  type: c.type,
  nullTokens: marketoLayout.nullTokens,
}));

/** The strict parse of a whole raw file (header dropped), each field typed as its column says. */
export function referenceRows(raw: Buffer, format: RawFormat, columns: readonly CuratedColumn[]): TypedValue[][] {
  const records = parse(raw, {
    delimiter: CSV_DELIMITER_OF[format],
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
  }) as string[][];
  return records.slice(1).map((record) =>
    record.map((field, i) => {
      const value = typeValue(columns[i]!, field);
      if (value instanceof TypingFailure) throw new Error(`reference value ${field} is untypeable: ${value.reason}`);
      return value;
    }),
  );
}

function normalizingSelect(column: CuratedColumn): string {
  const name = `"${column.name}"`;
  // Dates and timestamps come back as the numbers the converter stores: days and epoch millis.
  if (column.type === 'date') return `CAST(${name} - DATE '1970-01-01' AS INTEGER)`;
  if (column.type === 'timestamp') return `epoch_ms(${name})`;
  return name;
}

export class ParquetReader {
  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(): Promise<ParquetReader> {
    const instance = await DuckDBInstance.create(':memory:');
    return new ParquetReader(await instance.connect());
  }

  /** Column names and DuckDB types as the file declares them. */
  async schema(paths: readonly string[]): Promise<{ name: string; type: string }[]> {
    const reader = await this.connection.runAndReadAll(
      `DESCRIBE SELECT * FROM read_parquet(${sqlList(paths)}, hive_partitioning = false)`,
    );
    return reader.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  async rows(paths: readonly string[], columns: readonly CuratedColumn[]): Promise<TypedValue[][]> {
    const select = columns.map(normalizingSelect).join(', ');
    // file_row_number keeps each file's order; the list's order is the caller's.
    const reader = await this.connection.runAndReadAll(
      `SELECT ${select} FROM read_parquet(${sqlList(paths)}, hive_partitioning = false, filename = true, file_row_number = true) ORDER BY list_position(${sqlList(paths)}, filename), file_row_number`,
    );
    return reader.getRows().map((row) => row.map((v) => v as TypedValue));
  }

  async numRows(path: string): Promise<number> {
    const reader = await this.connection.runAndReadAll(
      `SELECT sum(row_group_num_rows) AS n FROM (SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata(${sqlString(path)}))`,
    );
    return Number(reader.getRowObjects()[0]?.n ?? 0);
  }

  async compression(path: string): Promise<string[]> {
    const reader = await this.connection.runAndReadAll(
      `SELECT DISTINCT compression FROM parquet_metadata(${sqlString(path)})`,
    );
    return reader.getRowObjects().map((r) => String(r.compression));
  }
}

export const expectedDuckDbSchema = (columns: readonly CuratedColumn[]) =>
  columns.map((c) => ({ name: c.name, type: DUCKDB_TYPE_OF[c.type] }));

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function sqlList(paths: readonly string[]): string {
  return `[${paths.map(sqlString).join(', ')}]`;
}
