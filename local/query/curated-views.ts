// DuckDB over a local output directory laid out like the bucket, with the same table names as Athena:
// one view per export over curated/<export>/dt=<day>/*.parquet (hive partition column `dt`), and
// the reference tables when present, the `<export>_latest` views of the configured entity exports, the
// Marketo analyst views, and the `<export>_rejects` table of each export with `badValues: "null"` (read
// like an export's table, empty until a value is rejected), so a query written for Athena runs unchanged
// on a laptop.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { allDatasets, referenceTablesOf } from '#providers/descriptors';
import { latestViewOf } from '#providers/latest-view';
import { marketoViewsOf } from '#providers/marketo-views';
import type { ExportDefinition } from '#shared/export-definition';
import { DUCKDB_TYPE_OF, REJECTS_COLUMNS } from '#curated/curated-column';
import { BUCKET_PREFIXES, PARTITION_COLUMN } from '#window/bucket-layout';
import { rejectsTableNameOf, tableNameOf } from '#window/table-names';

/** Every reference table any provider serves: one flat folder of Parquet objects (one per instance) each. */
const REFERENCE_TABLES: ReadonlySet<string> = new Set(
  allDatasets().flatMap(({ dataset }) => (dataset.referenceTables ?? []).map((table) => table.name)),
);

export class MissingCuratedDataError extends Error {
  override readonly name = 'MissingCuratedDataError';
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function sqlIdentifier(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

async function hasParquet(dir: string, depth: number): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (depth === 0 && entry.isFile() && entry.name.endsWith('.parquet')) return true;
    if (depth > 0 && entry.isDirectory() && (await hasParquet(path.join(dir, entry.name), depth - 1))) return true;
  }
  return false;
}

export interface CuratedDatabase {
  readonly connection: DuckDBConnection;
  /** View names created, sorted. */
  readonly tables: readonly string[];
  close(): void;
}

/**
 * Opens DuckDB in memory with a view per curated export under `outDir`, and for each of `exports`
 * with data there its latest view (the same SQL as the Athena view).
 */
export async function openCuratedDatabase(
  outDir: string,
  exports: readonly ExportDefinition[] = [],
): Promise<CuratedDatabase> {
  const curated = path.resolve(outDir, BUCKET_PREFIXES.curated);
  if (!existsSync(curated))
    throw new MissingCuratedDataError(`no curated data under ${curated} (run an export into ${outDir} first)`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const tables: string[] = [];
  for (const entry of (await readdir(curated, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = path.join(curated, entry.name);
    if (REFERENCE_TABLES.has(entry.name)) {
      if (!(await hasParquet(dir, 0))) continue;
      await connection.run(
        `CREATE VIEW ${sqlIdentifier(entry.name)} AS SELECT * FROM read_parquet(${sqlString(path.join(dir, '*.parquet'))}, union_by_name = true)`,
      );
      tables.push(entry.name);
      continue;
    }
    if (!(await hasParquet(dir, 1))) continue;
    const table = tableNameOf(entry.name);
    // dt stays text, as the Athena partition column is: `WHERE dt = '2026-11-01'` means the same in both.
    await connection.run(
      `CREATE VIEW ${sqlIdentifier(table)} AS SELECT * FROM read_parquet(${sqlString(path.join(dir, 'dt=*', '*.parquet'))}, hive_partitioning = true, hive_types = {'dt': VARCHAR}, union_by_name = true)`,
    );
    tables.push(table);
    const definition = exports.find((e) => e.name === entry.name);
    const latest = definition ? latestViewOf(definition, table) : undefined;
    if (latest) {
      await connection.run(`CREATE VIEW ${sqlIdentifier(latest.name)} AS ${latest.sql}`);
      tables.push(latest.name);
    }
  }
  // Athena has the table from the deploy on, rows or not: so does the laptop.
  for (const definition of exports) {
    const name = rejectsTableNameOf(definition.name);
    if (definition.badValues !== 'null' || tables.includes(name)) continue;
    const columns = REJECTS_COLUMNS.map((c) => `CAST(NULL AS ${DUCKDB_TYPE_OF[c.type]}) AS ${c.name}`);
    await connection.run(
      `CREATE VIEW ${sqlIdentifier(name)} AS SELECT ${columns.join(', ')}, CAST(NULL AS VARCHAR) AS ${PARTITION_COLUMN} WHERE false`,
    );
    tables.push(name);
  }
  // A reference table the configured exports refresh but no run has written yet (or whose refresh
  // failed) is empty, as its Glue table would be: the views over it still answer, with NULL names.
  for (const reference of referenceTablesOf(exports)) {
    if (tables.includes(reference.name)) continue;
    const columns = reference.columns.map((c) => `CAST(NULL AS ${DUCKDB_TYPE_OF[c.type]}) AS ${sqlIdentifier(c.name)}`);
    await connection.run(`CREATE VIEW ${sqlIdentifier(reference.name)} AS SELECT ${columns.join(', ')} WHERE false`);
    tables.push(reference.name);
  }
  // The analyst views (the same SQL as the Athena views), each once the tables it reads are here.
  for (const view of marketoViewsOf(exports)) {
    if (!view.reads.every((name) => tables.includes(name))) continue;
    try {
      await connection.run(`CREATE VIEW ${sqlIdentifier(view.name)} AS ${view.sql}`);
      tables.push(view.name);
    } catch {
      // An output written by an older version (a reference table without a column the view reads):
      // the tables stay queryable, only this view is missing.
    }
  }
  return {
    connection,
    tables: tables.sort(),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
