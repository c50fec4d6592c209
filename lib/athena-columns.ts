// What Athena sees of an export's raw files: columns in file order (OpenCSVSerDe maps by position), the
// delimiter, and the SQL type each column may be cast to in the typed view. The columns and their types
// come from the provider's dataset descriptor (tableLayout); this only maps them onto Athena's words.
import type { ExportDefinition } from '../lambdas/shared/export-definition';
import { tableLayout, tableColumnName, type TableColumn } from '../lambdas/providers/descriptors';
import type { ColumnType, FileFormat } from '../lambdas/providers/descriptor';

export { PARTITION_COLUMN } from '../lambdas/shared/bucket-layout';

/** How the typed view converts a column (every table column is a string under OpenCSVSerDe). */
export type ViewType = 'varchar' | 'bigint' | 'integer' | 'double' | 'boolean' | 'date' | 'timestamp';

export interface AthenaColumn {
  /** Column name in the Glue table: the file's header, lower-case, `.` and other symbols as `_`. */
  readonly name: string;
  /** The provider's field this column holds. */
  readonly field: string;
  readonly viewType: ViewType;
}

export type { FileFormat };

export interface AthenaLayout {
  readonly columns: readonly AthenaColumn[];
  readonly format: FileFormat;
  /** OpenCSVSerDe `separatorChar`. */
  readonly separator: string;
  /** How the provider writes an empty value; the typed view turns it into NULL. */
  readonly nullToken: string;
}

const SEPARATORS: Record<FileFormat, string> = { csv: ',', tsv: '\t', ssv: ' ' };

const VIEW_TYPES: Record<ColumnType, ViewType> = {
  string: 'varchar',
  bigint: 'bigint',
  int: 'integer',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

/**
 * The Athena layout of an export's files, from the request as its dataset normalizes it. Throws
 * ValidationError naming the request field when the request is rejected or cannot be mapped to a table.
 */
export function athenaLayout(definition: Pick<ExportDefinition, 'provider' | 'request'> & { dataset?: string }): AthenaLayout {
  const table = tableLayout({ provider: definition.provider, dataset: definition.dataset ?? 'activities', request: definition.request });
  return {
    columns: table.columns.map((column: TableColumn) => ({ name: column.name, field: column.field, viewType: VIEW_TYPES[column.type] })),
    format: table.format,
    separator: SEPARATORS[table.format],
    nullToken: table.nullTokens[0] ?? '',
  };
}

/** Athena folds names to lower case and wants identifiers; headers may hold dots, spaces, dashes. */
export const athenaColumnName = tableColumnName;

/** Marketo's file columns when `fields` is not given, in file order (the descriptor's own list). */
export { DEFAULT_ACTIVITY_FIELDS as MARKETO_DEFAULT_ACTIVITY_FIELDS } from '../lambdas/providers/marketo/activity-fields';
