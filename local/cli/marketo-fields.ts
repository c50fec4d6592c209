// `npm start -- fields <export>` for a Marketo export: the dataset's exportable fields from its describe
// route (name, Marketo data type, the curated column type), then a `fields` + `fieldTypes` snippet to
// paste into the export's request. `fieldTypes` names only the fields the built-in table would type
// otherwise (a field absent from it would be a string column).
import { readFileSync } from 'node:fs';
import { listMarketoFields, type MarketoField } from '#providers/marketo/index';
import { MARKETO_DESCRIPTOR } from '#providers/marketo/descriptor';
import type { ProviderContext } from '#providers/types';
import { ExportDefinitionSchema, type ExportDefinition } from '#shared/export-definition';

/**
 * The export as the config file has it, checked as a definition but not its request: finding the
 * fields is what a request without `fields` yet needs, and the whole config would refuse it.
 */
export function draftExportDefinition(configFile: string, name: string): ExportDefinition | undefined {
  const raw = JSON.parse(readFileSync(configFile, 'utf8').replace(/^\uFEFF/, '')) as { exports?: unknown };
  const found = Array.isArray(raw.exports)
    ? (raw.exports as unknown[]).find((e) => (e as { name?: unknown } | null)?.name === name)
    : undefined;
  return found === undefined ? undefined : ExportDefinitionSchema.parse(found);
}

export async function marketoFieldsOf(
  def: Pick<ExportDefinition, 'dataset' | 'request'>,
  credentials: unknown,
  ctx: ProviderContext,
): Promise<MarketoField[]> {
  return withTableTypes(
    def.dataset,
    await listMarketoFields(credentials as Parameters<typeof listMarketoFields>[0], def.dataset, def.request, ctx),
  );
}

function tableTypes(dataset: string, names: readonly string[]): Map<string, MarketoField['columnType']> {
  const datasets: Readonly<Record<string, { layout: (typeof MARKETO_DESCRIPTOR.datasets)['leads']['layout'] }>> =
    MARKETO_DESCRIPTOR.datasets;
  return new Map(datasets[dataset]?.layout({ fields: [...names] }).columns.map((c) => [c.field, c.type]));
}

/**
 * The column each field really becomes. Activities have a fixed table (a request cannot retype it),
 * so its types are the table's; other datasets become what describe says once the snippet's
 * `fieldTypes` is pasted.
 */
export function withTableTypes(dataset: string, fields: readonly MarketoField[]): MarketoField[] {
  if (dataset !== 'activities') return [...fields];
  const table = tableTypes(
    dataset,
    fields.map((f) => f.name),
  );
  return fields.map((f) => ({ ...f, columnType: table.get(f.name) ?? f.columnType }));
}

/** The request snippet: every field, and the data types the dataset's layout does not know by itself. */
export function fieldsSnippet(
  dataset: string,
  fields: readonly MarketoField[],
): { fields: string[]; fieldTypes?: Record<string, string> } {
  const names = fields.map((f) => f.name);
  const builtIn = tableTypes(dataset, names);
  const fieldTypes = Object.fromEntries(
    fields.filter((f) => builtIn.get(f.name) !== f.columnType).map((f) => [f.name, f.dataType]),
  );
  return Object.keys(fieldTypes).length > 0 && dataset !== 'activities'
    ? { fields: names, fieldTypes }
    : { fields: names };
}

export function renderMarketoFields(dataset: string, fields: readonly MarketoField[]): string {
  const width = Math.max(5, ...fields.map((f) => f.name.length));
  const typeWidth = Math.max(8, ...fields.map((f) => f.dataType.length));
  const lines = [
    `${'field'.padEnd(width)}  ${'dataType'.padEnd(typeWidth)}  column`,
    ...fields.map((f) => `${f.name.padEnd(width)}  ${f.dataType.padEnd(typeWidth)}  ${f.columnType}`),
  ];
  const snippet = JSON.stringify(fieldsSnippet(dataset, fields), null, 2).split('\n').slice(1, -1).join('\n');
  return `${lines.join('\n')}\n\nPaste into the export's "request" (drop the fields you do not want):\n${snippet}\n`;
}
