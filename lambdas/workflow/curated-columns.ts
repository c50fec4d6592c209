// The curated columns of an export's files, from its dataset descriptor, checked against the header
// the provider actually wrote: a file whose columns are not the table's would land values under the
// wrong names, so it fails instead.
import type { CuratedColumn } from '#curated/curated-column';
import { tableColumnName, tableLayout } from '#providers/descriptors';
import { MalformedCsvError } from '#shared/errors';
import type { ExportDefinition } from '#shared/export-definition';

export function curatedColumnsFor(def: ExportDefinition, rawKey: string, header: readonly string[]): CuratedColumn[] {
  const layout = tableLayout(def);
  const expected = layout.columns.map((c) => c.name);
  const got = header.map(tableColumnName);
  if (got.length !== expected.length || got.some((name, i) => name !== expected[i])) {
    throw new MalformedCsvError(
      `${rawKey}: the header is [${got.join(', ')}], the export's table has [${expected.join(', ')}]`,
    );
  }
  return layout.columns.map((c) => ({ name: c.name, type: c.type, nullTokens: layout.nullTokens }));
}
