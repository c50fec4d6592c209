// One SQL statement over the local curated output, answered as text cells ready to print.
import type { ExportDefinition } from '#shared/export-definition';
import { openCuratedDatabase } from './curated-views';

export interface QueryResult {
  readonly columns: readonly string[];
  /** Cell values as DuckDB renders them; null for SQL NULL. */
  readonly rows: readonly (readonly (string | null)[])[];
  /** Per column: whether its values are numbers (right-aligned when printed). */
  readonly numeric: readonly boolean[];
}

export class QueryFailedError extends Error {
  override readonly name = 'QueryFailedError';
}

/** `exports`: the configured definitions, for their latest views. */
export async function runLocalQuery(
  outDir: string,
  sql: string,
  exports: readonly ExportDefinition[] = [],
): Promise<QueryResult> {
  const db = await openCuratedDatabase(outDir, exports);
  try {
    let reader;
    try {
      reader = await db.connection.runAndReadAll(sql);
    } catch (err) {
      const known = db.tables.length > 0 ? db.tables.join(', ') : 'none';
      throw new QueryFailedError(
        `${err instanceof Error ? err.message.split('\n')[0] : String(err)} (tables: ${known})`,
        { cause: err },
      );
    }
    const columns = reader.columnNames();
    const types = reader.columnTypes();
    const numeric = types.map((t) =>
      /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(
        t.toString(),
      ),
    );
    const rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
    return { columns, rows, numeric };
  } finally {
    db.close();
  }
}
