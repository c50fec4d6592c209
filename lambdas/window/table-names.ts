// What Athena (and the local DuckDB views, which mirror it) call an export's data. Pure, so the Glue
// tables (lib/), the local query views and the CLI's demo query all say the same name.

/** The table of an export's curated Parquet: `marketo-activities` → `marketo_activities`. */
export function tableNameOf(exportName: string): string {
  return exportName.replaceAll('-', '_');
}
