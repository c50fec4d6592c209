// The typed columns of a curated (Parquet) dataset, as provider descriptors declare them. Pure: lib/
// imports the SQL type names for the Glue tables, local/query the DuckDB ones.

import type { ColumnType } from '#providers/descriptor';

/** The column types of the descriptors (providers/descriptor.ts), each with a Parquet encoding here. */
export type CuratedType = ColumnType;
export const CURATED_TYPES = [
  'string',
  'bigint',
  'int',
  'double',
  'boolean',
  'date',
  'timestamp',
] as const satisfies readonly CuratedType[];

export interface CuratedColumn {
  /** Athena column name (lower case, as the raw header names it). */
  readonly name: string;
  readonly type: CuratedType;
  /** Raw values that mean NULL (Marketo writes `null`, Clickwrap leaves the field empty). */
  readonly nullTokens?: readonly string[];
}

/**
 * The `<export>_rejects` table: one row per value a `badValues: "null"` export wrote as NULL, saying
 * where it was (window, raw file, 1-based record, column) and what it was (redacted and bounded).
 */
export const REJECTS_COLUMNS = [
  { name: 'window_start', type: 'timestamp' },
  { name: 'window_end', type: 'timestamp' },
  { name: 'raw_file', type: 'string' },
  { name: 'record', type: 'bigint' },
  { name: 'column_name', type: 'string' },
  { name: 'column_type', type: 'string' },
  { name: 'reason', type: 'string' },
  { name: 'raw_value', type: 'string' },
  { name: 'raw_length', type: 'int' },
] as const satisfies readonly CuratedColumn[];

/** Glue/Athena (Hive DDL) type of each curated type. */
export const ATHENA_TYPE_OF = {
  string: 'string',
  bigint: 'bigint',
  int: 'int',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
} as const satisfies Record<CuratedType, string>;

/** Type of each curated type in an Athena (Trino) view definition, which Glue stores beside the Hive one. */
export const VIEW_TYPE_OF = {
  string: 'varchar',
  bigint: 'bigint',
  int: 'integer',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
} as const satisfies Record<CuratedType, string>;

/** DuckDB type the same Parquet column reads back as. */
export const DUCKDB_TYPE_OF = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
} as const satisfies Record<CuratedType, string>;

/** Raw file formats and the delimiter each uses (quoting is RFC 4180 in all three). */
export const CSV_DELIMITER_OF = { csv: ',', tsv: '\t', ssv: ' ' } as const;
export type RawFormat = keyof typeof CSV_DELIMITER_OF;
