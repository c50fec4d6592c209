// The tables people query: one Glue table per export over its curated Parquet (typed columns from the
// dataset's descriptor), and the reference tables of the configured datasets. There is deliberately no
// table over the raw CSV: Athena's CSV readers end a row at every line break, quoted or not, and
// provider values hold line breaks, so any such table returns split rows. The raw files stay in the
// bucket as the audit copy.
import { Fn, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ColumnType, ReferenceTableDescriptor } from '#providers/descriptor';
import { ATHENA_TYPE_OF, VIEW_TYPE_OF } from '#curated/curated-column';
import { latestViewOf } from '#providers/latest-view';
import { referenceTablesOf, tableLayout } from '#providers/descriptors';
import { curatedPrefix, PARTITION_COLUMN, referenceTablePrefix } from '#window/bucket-layout';
import { tableNameOf } from '#window/table-names';
import { earliestWindowStart, type ExportDefinition } from '#shared/export-definition';

export interface CuratedTablesProps {
  readonly bucket: s3.IBucket;
  readonly database: glue.IDatabase;
  readonly exports: readonly ExportDefinition[];
}

export interface CuratedTable {
  readonly exportName: string;
  readonly table: glue.S3Table;
  /** `curated/<export>/`: the table's location; nothing but Parquet data files live under it. */
  readonly prefix: string;
}

// Glue column types from the one type table of the curated layer (the Parquet writer's too).
export const GLUE_TYPES = Object.fromEntries(
  Object.entries(ATHENA_TYPE_OF).map(([type, sql]) => [type, { inputString: sql, isPrimitive: true }]),
) as Record<ColumnType, glue.Type>;

export class CuratedTables extends Construct {
  /** Per export, in config order. */
  public readonly tables: readonly CuratedTable[];
  /** Reference tables (Marketo activity types) of the configured datasets. */
  public readonly referenceTables: readonly glue.S3Table[];
  /** `<export>_latest` views of the incremental entity exports (leads, program members, …). */
  public readonly latestViews: readonly glue.CfnTable[];

  constructor(scope: Construct, id: string, props: CuratedTablesProps) {
    super(scope, id);
    this.tables = props.exports.map((definition) => this.addExportTable(props, definition));
    this.referenceTables = referenceTablesOf(props.exports).map((reference) =>
      this.addReferenceTable(props, reference),
    );
    this.latestViews = props.exports.flatMap((definition) => this.addLatestView(props, definition) ?? []);
  }

  // Glue has no view construct: an Athena view is a VIRTUAL_VIEW table whose original text carries the
  // view (SQL and column types) as base64 JSON. Fn::Base64 encodes it at deploy time, when the generated
  // database name is known.
  private addLatestView(props: CuratedTablesProps, definition: ExportDefinition): glue.CfnTable | undefined {
    const view = latestViewOf(definition, tableNameOf(definition.name));
    if (!view) return undefined;
    const columns = [
      ...view.columns.map((c) => ({ name: c.name, type: c.type })),
      { name: PARTITION_COLUMN, type: 'string' as const },
    ];
    const stack = Stack.of(this);
    const trinoView = stack.toJsonString({
      originalSql: view.sql,
      catalog: 'awsdatacatalog',
      schema: props.database.databaseName,
      columns: columns.map((c) => ({ name: c.name, type: VIEW_TYPE_OF[c.type] })),
    });
    return new glue.CfnTable(this, `View-${definition.name}`, {
      catalogId: stack.account,
      databaseName: props.database.databaseName,
      tableInput: {
        name: view.name,
        description: `The newest row per entity of export "${definition.name}" (${definition.provider} ${definition.dataset}).`,
        tableType: 'VIRTUAL_VIEW',
        parameters: { presto_view: 'true', comment: 'Presto View' },
        viewOriginalText: Fn.join('', ['/* Presto View: ', Fn.base64(trinoView), ' */']),
        viewExpandedText: '/* Presto View */',
        storageDescriptor: { columns: columns.map((c) => ({ name: c.name, type: ATHENA_TYPE_OF[c.type] })) },
      },
    });
  }

  private addExportTable(props: CuratedTablesProps, definition: ExportDefinition): CuratedTable {
    const layout = tableLayout(definition);
    const prefix = curatedPrefix(definition.name);
    const table = new glue.S3Table(this, `Table-${definition.name}`, {
      database: props.database,
      tableName: tableNameOf(definition.name),
      description: `${definition.provider} ${definition.dataset} of export "${definition.name}": typed Parquet, every value as the provider sent it (a strict RFC-4180 parse of the raw file).`,
      storage: glue.S3TableStorage.fromBucket(props.bucket),
      s3Prefix: prefix,
      columns: layout.columns.map((column) => ({
        name: column.name,
        type: GLUE_TYPES[column.type],
        comment: `${definition.provider} field ${column.field}`,
      })),
      ...dayPartitionedParquet(definition),
    });
    return { exportName: definition.name, table, prefix };
  }

  private addReferenceTable(props: CuratedTablesProps, reference: ReferenceTableDescriptor): glue.S3Table {
    return new glue.S3Table(this, `Table-${reference.name}`, {
      database: props.database,
      tableName: reference.name,
      description: reference.description,
      storage: glue.S3TableStorage.fromBucket(props.bucket),
      s3Prefix: referenceTablePrefix(reference.name),
      columns: reference.columns.map((column) => ({ name: column.name, type: GLUE_TYPES[column.type] })),
      dataFormat: glue.DataFormat.PARQUET,
      hasEncryptedData: false,
    });
  }
}

/**
 * First `dt` Athena should project. The date may carry an offset: take the earlier of the date as
 * written and the UTC date, so the first window's partition is inside the range whichever zone names it.
 */
export function projectionStart(first: string): string {
  const written = first.slice(0, 10);
  if (first.length === 10) return written;
  const utc = new Date(first).toISOString().slice(0, 10);
  return utc < written ? utc : written;
}

/**
 * What every table of an export's windows shares: Parquet under `dt=<day>/`, the partitions projected
 * from the export's earliest window to today (Plan refuses windows before it, so every window the
 * pipeline writes is projected) rather than registered one by one.
 */
export function dayPartitionedParquet(definition: ExportDefinition) {
  return {
    partitionKeys: [
      {
        name: PARTITION_COLUMN,
        type: glue.Schema.STRING,
        comment: 'Window date (yyyy-MM-dd, UTC), from the object key dt=…',
      },
    ],
    dataFormat: glue.DataFormat.PARQUET,
    hasEncryptedData: false,
    partitionProjection: {
      [PARTITION_COLUMN]: glue.PartitionProjectionConfiguration.date({
        min: projectionStart(earliestWindowStart(definition)),
        max: 'NOW',
        format: 'yyyy-MM-dd',
        step: { interval: 1, intervalUnit: glue.DateIntervalUnit.DAYS },
      }),
    },
  };
}
