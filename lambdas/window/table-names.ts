// What Athena (and the local DuckDB views, which mirror it) call an export's data. Pure, so the Glue
// tables (lib/), the local query views and the CLI's demo query all say the same name.
import { REJECTS_SUFFIX } from './bucket-layout';

/** The table of an export's curated Parquet: `marketo-activities` → `marketo_activities`. */
export function tableNameOf(exportName: string): string {
  return exportName.replaceAll('-', '_');
}

/** The table of the values a `badValues: "null"` export replaced: `marketo-activities` → `marketo_activities_rejects`. */
export function rejectsTableNameOf(exportName: string): string {
  return `${tableNameOf(exportName)}${REJECTS_SUFFIX}`;
}
