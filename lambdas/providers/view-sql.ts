// SQL pieces the analyst views share, in the dialect Athena (Trino) and DuckDB both read the same way:
// quoted identifiers, and one row per id of a reference table whichever instances' rows it holds.

export function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * One row per id of a reference table: a real instance's row before a simulator's (an output that holds
 * both must not name real ids with made-up names, nor double the rows of a JOIN).
 */
export function onePerId(table: string, columns: readonly string[]): string {
  const selected = columns.map(quoted).join(', ');
  return (
    `(SELECT ${selected} FROM (SELECT ${selected}, row_number() OVER (PARTITION BY "id" ` +
    `ORDER BY CASE WHEN "source" = 'simulator' THEN 1 ELSE 0 END, "source") AS id_rank FROM ${quoted(table)}) ranked_ids ` +
    `WHERE id_rank = 1)`
  );
}
