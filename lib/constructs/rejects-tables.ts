// The `<export>_rejects` tables: for each export with `badValues: "null"`, a Glue table over the small
// Parquet objects that list the values its windows wrote as NULL (window, raw file, record, column, the
// raw value redacted and cut short), partitioned by `dt` like the export's own table. An export that
// fails on bad values (the default) gets none: it never writes one.
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REJECTS_COLUMNS } from '#curated/curated-column';
import type { ExportDefinition } from '#shared/export-definition';
import { rejectsPrefix } from '#window/bucket-layout';
import { rejectsTableNameOf } from '#window/table-names';
import { dayPartitionedParquet, GLUE_TYPES } from './curated-tables';

export interface RejectsTablesProps {
  readonly bucket: s3.IBucket;
  readonly database: glue.IDatabase;
  readonly exports: readonly ExportDefinition[];
}

const COLUMN_COMMENTS: Record<(typeof REJECTS_COLUMNS)[number]['name'], string> = {
  window_start: 'start of the window the value came in',
  window_end: 'end of the window (exclusive)',
  raw_file: 'key of the raw file in the data bucket',
  record: '1-based record number in the raw file (the header is not a record)',
  column_name: 'the curated column whose value is NULL for that record',
  column_type: "the column's type, which the value could not take",
  reason: 'why the value has no typed form',
  raw_value: 'the raw value, redacted and cut to at most 256 characters',
  raw_length: 'characters of the raw value before it was redacted and cut',
};

export class RejectsTables extends Construct {
  /** Per export with `badValues: "null"`, in config order. */
  public readonly tables: readonly { readonly exportName: string; readonly table: glue.S3Table }[];

  constructor(scope: Construct, id: string, props: RejectsTablesProps) {
    super(scope, id);
    this.tables = props.exports
      .filter((definition) => definition.badValues === 'null')
      .map((definition) => ({ exportName: definition.name, table: this.addTable(props, definition) }));
  }

  private addTable(props: RejectsTablesProps, definition: ExportDefinition): glue.S3Table {
    return new glue.S3Table(this, `Rejects-${definition.name}`, {
      database: props.database,
      tableName: rejectsTableNameOf(definition.name),
      description: `Values of export "${definition.name}" that could not take their column's type: NULL in its table, listed here (badValues "null").`,
      storage: glue.S3TableStorage.fromBucket(props.bucket),
      s3Prefix: rejectsPrefix(definition.name),
      columns: REJECTS_COLUMNS.map((column) => ({
        name: column.name,
        type: GLUE_TYPES[column.type],
        comment: COLUMN_COMMENTS[column.name],
      })),
      ...dayPartitionedParquet(definition),
    });
  }
}
