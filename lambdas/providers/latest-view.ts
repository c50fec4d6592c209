// `<export>_latest`: the newest row per entity of an incremental entity export (a lead that changed
// ten times is ten rows in its table, one here). One SQL text for Athena (a Glue view) and DuckDB
// (`npm start -- query`), so a query over the view means the same in both.
import { PARTITION_COLUMN } from '#window/bucket-layout';
import type { ExportDefinition } from '#shared/export-definition';
import { latestView, tableLayout, type TableColumn } from './descriptors';

export interface LatestViewDefinition {
  /** `<table>_latest`. */
  readonly name: string;
  /** The SELECT the view is (over `table`, unqualified: both engines resolve it in the view's schema). */
  readonly sql: string;
  /** The view's columns in order: the table's, then the partition column. */
  readonly columns: readonly TableColumn[];
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** The latest view of an export over its table `table`; undefined when the export has none. */
export function latestViewOf(
  def: Pick<ExportDefinition, 'provider' | 'dataset' | 'request' | 'mode'>,
  table: string,
): LatestViewDefinition | undefined {
  const view = latestView(def);
  if (!view) return undefined;
  const { columns } = tableLayout(def);
  const selected = [...columns.map((c) => quoted(c.name)), quoted(PARTITION_COLUMN)].join(', ');
  // A later window may re-export an unchanged row: equal updatedAt, so the newer partition decides.
  const sql =
    `SELECT ${selected} FROM (SELECT *, row_number() OVER (PARTITION BY ${view.key.map(quoted).join(', ')} ` +
    `ORDER BY ${quoted(view.orderBy)} DESC NULLS LAST, ${quoted(PARTITION_COLUMN)} DESC) AS latest_rank FROM ${quoted(table)}) ranked WHERE latest_rank = 1`;
  return { name: `${table}_latest`, sql, columns };
}
