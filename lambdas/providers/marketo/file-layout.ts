// The shape of a Marketo bulk file, common to every bulk type: the exported fields in order (renamed by
// `columnHeaderNames`), the format, and the token `null` for an absent value. Each dataset says which
// fields it exports and how a field is typed.
import type { ColumnType, DatasetLayout } from '../descriptor';

interface FileOptions {
  readonly columnHeaderNames?: Readonly<Record<string, string>> | undefined;
  readonly format?: string | undefined;
}

export function marketoFileLayout(options: FileOptions, fields: readonly string[], typeOf: (field: string) => ColumnType): DatasetLayout {
  const headers: Readonly<Record<string, string>> = options.columnHeaderNames ?? {};
  return {
    columns: fields.map((field) => ({ header: headers[field] ?? field, field, type: typeOf(field) })),
    format: (options.format ?? 'CSV').toLowerCase() as DatasetLayout['format'],
    // Marketo writes the token `null` for an absent value (an empty field is an empty string).
    nullTokens: ['null'],
    columnsField: options.columnHeaderNames ? 'columnHeaderNames' : 'fields',
  };
}
