// Lookups over the provider descriptors (descriptor-registry.ts). Everything generic about an export's dataset (its validator,
// its columns as a table sees them) is looked up through these functions, never by a provider switch.
import { ValidationError } from '#shared/errors';
import { PARTITION_COLUMN } from '#window/bucket-layout';
import type { ProviderName } from '#shared/provider-names';
import type { ExportMode } from '#shared/export-definition';
import type {
  ColumnType,
  DatasetDescriptor,
  DatasetLayout,
  FileFormat,
  ProviderDescriptor,
  ReferenceTableDescriptor,
} from './descriptor';
import { PROVIDER_DESCRIPTORS } from './descriptor-registry';
import type { ExportWindow, ProviderRequest } from './types';

export { PROVIDER_DESCRIPTORS, type DescriptorRegistry } from './descriptor-registry';

/** What of an export definition names its dataset. */
export interface DatasetRef {
  readonly provider: ProviderName;
  readonly dataset: string;
}

export function providerDescriptor(provider: ProviderName): ProviderDescriptor {
  return PROVIDER_DESCRIPTORS[provider];
}

/** The dataset an export names; a dataset its provider does not have is a ValidationError on `dataset`. */
export function datasetDescriptor(ref: DatasetRef): DatasetDescriptor {
  const datasets: Readonly<Record<string, DatasetDescriptor>> = PROVIDER_DESCRIPTORS[ref.provider].datasets;
  const found = Object.hasOwn(datasets, ref.dataset) ? datasets[ref.dataset] : undefined;
  if (!found)
    throw new ValidationError(
      'dataset',
      `${ref.provider} has no dataset "${ref.dataset}" (known: ${Object.keys(datasets).join(', ')})`,
    );
  return found;
}

/** Every (provider, dataset) pair, for docs, schemas and tests. */
export function allDatasets(): { provider: ProviderName; dataset: DatasetDescriptor }[] {
  return (Object.keys(PROVIDER_DESCRIPTORS) as ProviderName[]).flatMap((provider) =>
    Object.values<DatasetDescriptor>(PROVIDER_DESCRIPTORS[provider].datasets).map((dataset) => ({ provider, dataset })),
  );
}

/** The export's request checked (and normalized) by its dataset's own rules. Pure: synth and Plan agree. */
export function validateExportRequest(
  def: DatasetRef & { readonly request: unknown },
  window?: ExportWindow,
): ProviderRequest {
  return datasetDescriptor(def).validate(def.request, window);
}

/**
 * The mode the export runs in: the one the definition declares, checked against what its request
 * allows (a request without a date filter can only be a snapshot, and the other way round), so the
 * config says the mode and never contradicts the request. Throws ValidationError on `mode`.
 */
export function exportMode(def: DatasetRef & { readonly request: unknown; readonly mode?: ExportMode }): ExportMode {
  const dataset = datasetDescriptor(def);
  const allowed: ExportMode = dataset.mode?.(dataset.validate(def.request)) ?? 'incremental';
  const declared: ExportMode = def.mode ?? 'incremental';
  if (declared !== allowed) {
    throw new ValidationError(
      'mode',
      allowed === 'snapshot'
        ? `the request has no date filter, so each run exports the whole set: set "mode": "snapshot" (or use a filter the window can date)`
        : `"${declared}" needs a request without a date filter (a list or program filter); this ${def.provider} ${def.dataset} request is windowed: remove "mode" or change the filter`,
    );
  }
  return allowed;
}

/** The `<export>_latest` view of an incremental entity export: its key and order as table columns. */
export interface LatestView {
  readonly key: readonly string[];
  readonly orderBy: string;
}

/**
 * The newest-row-per-key view an export gets, in table column names; undefined for events (activities)
 * and snapshots (a snapshot is already one row per entity). Throws ValidationError on `request.fields`
 * when the request does not export the key or order fields.
 */
export function latestView(
  def: DatasetRef & { readonly request: unknown; readonly mode?: ExportMode },
): LatestView | undefined {
  const dataset = datasetDescriptor(def);
  if (exportMode(def) === 'snapshot') return undefined;
  const wanted = dataset.latest?.(dataset.validate(def.request));
  if (!wanted) return undefined;
  const columns = tableLayout(def).columns;
  const columnOf = (field: string): string => {
    const column = columns.find((c) => c.field === field);
    if (!column)
      throw new ValidationError(
        'fields',
        `must include "${field}": the ${def.dataset} latest view keeps the newest row per ${wanted.key.join(', ')} by ${wanted.orderBy}`,
      );
    return column.name;
  };
  return { key: wanted.key.map(columnOf), orderBy: columnOf(wanted.orderBy) };
}

/** What of an export definition decides its reference tables: the dataset and the config's switches. */
export interface ReferenceTablesRef extends DatasetRef {
  /** Per table, on (true) or off (false) over the descriptor's default (`onByDefault`). */
  readonly referenceTables?: Readonly<Record<string, boolean>>;
}

/** The reference tables a run of this export refreshes: its dataset's, minus those switched off. */
export function enabledReferenceTables(def: ReferenceTablesRef): ReferenceTableDescriptor[] {
  return (datasetDescriptor(def).referenceTables ?? []).filter(
    (table) => def.referenceTables?.[table.name] ?? table.onByDefault ?? true,
  );
}

/** The reference tables the given exports refresh, each once (by name). */
export function referenceTablesOf(defs: readonly ReferenceTablesRef[]): ReferenceTableDescriptor[] {
  const byName = new Map<string, ReferenceTableDescriptor>();
  for (const def of defs) for (const table of enabledReferenceTables(def)) byName.set(table.name, table);
  return [...byName.values()];
}

/** A column of a dataset as tables (Glue, Parquet, DuckDB) see it. */
export interface TableColumn {
  /** Lower-case identifier derived from the file's header. */
  readonly name: string;
  /** The provider's field. */
  readonly field: string;
  readonly type: ColumnType;
}

export interface TableLayout {
  readonly columns: readonly TableColumn[];
  readonly format: FileFormat;
  readonly nullTokens: readonly string[];
}

/**
 * The table an export's files make: columns in file order with identifier names. Throws ValidationError
 * naming the request field when the request is invalid or two columns would get one name (or the
 * partition column's).
 */
export function tableLayout(def: DatasetRef & { readonly request: unknown }): TableLayout {
  const dataset = datasetDescriptor(def);
  const layout: DatasetLayout = dataset.layout(dataset.validate(def.request));
  const columns = layout.columns.map((c) => ({ name: tableColumnName(c.header), field: c.field, type: c.type }));
  assertDistinctColumns(columns, layout.columnsField);
  return { columns, format: layout.format, nullTokens: layout.nullTokens };
}

/** Athena and DuckDB fold names to lower case and want identifiers; headers may hold dots, spaces, dashes. */
export function tableColumnName(header: string): string {
  const name = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  return /^[a-z]/.test(name) ? name : `c_${name}`;
}

function assertDistinctColumns(columns: readonly TableColumn[], requestField: string): void {
  const seen = new Map<string, string>();
  for (const column of columns) {
    if (column.name === PARTITION_COLUMN) {
      throw new ValidationError(
        requestField,
        `"${column.field}" would become column "${PARTITION_COLUMN}", the partition column`,
      );
    }
    const other = seen.get(column.name);
    if (other !== undefined) {
      throw new ValidationError(
        requestField,
        `"${other}" and "${column.field}" would both become Athena column "${column.name}"`,
      );
    }
    seen.set(column.name, column.field);
  }
}
