// The typed view over an export's raw table: OpenCSVSerDe yields only strings and reads Marketo's
// empty values as the text 'null', so the view turns those into NULL and casts known fields.
import { PARTITION_COLUMN, type AthenaColumn, type AthenaLayout } from './athena-columns';

export interface TypedViewNames {
  /** Glue database (may be a CDK token: the SQL is rendered into the template as is). */
  readonly database: string;
  readonly table: string;
  readonly view: string;
}

/** `CREATE OR REPLACE VIEW <view> AS SELECT …` for Athena (Trino SQL). */
export function typedViewSql(layout: AthenaLayout, names: TypedViewNames): string {
  const selections = [...layout.columns.map((column) => typedSelection(column, layout.nullToken)), quote(PARTITION_COLUMN)];
  return [
    `CREATE OR REPLACE VIEW ${quote(names.database)}.${quote(names.view)} AS`,
    'SELECT',
    selections.map((selection) => `  ${selection}`).join(',\n'),
    `FROM ${quote(names.database)}.${quote(names.table)}`,
  ].join('\n');
}

function typedSelection(column: AthenaColumn, nullToken: string): string {
  const value = `NULLIF(${quote(column.name)}, ${literal(nullToken)})`;
  const alias = quote(column.name);
  switch (column.viewType) {
    case 'varchar':
      return `${value} AS ${alias}`;
    case 'bigint':
    case 'integer':
    case 'double':
    case 'boolean':
    case 'date':
      return `CAST(${value} AS ${column.viewType}) AS ${alias}`;
    case 'timestamp':
      // Providers write ISO-8601 with an offset (Z); keep the instant, shown in UTC.
      return `CAST(from_iso8601_timestamp(${value}) AT TIME ZONE 'UTC' AS timestamp) AS ${alias}`;
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
