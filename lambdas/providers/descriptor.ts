// What the pipeline knows about a provider without talking to it: pure data and pure functions (no
// HTTP client, no AWS SDK), so that `cdk synth` (lib/), the runtime and the local tools read the same
// facts. The runtime adapter (the ExportProvider in types.ts) is built elsewhere, by registry.ts.
import type { ExportMode } from '#shared/export-definition';
import type { ProviderName } from '#shared/provider-names';
import type { ExportWindow, ProviderLimits, ProviderRequest } from './types';

/** How a column's text is typed in the curated (queried) copy. */
export type ColumnType = 'string' | 'bigint' | 'int' | 'double' | 'boolean' | 'date' | 'timestamp';

/** One column of a dataset's file, in file order. */
export interface DatasetColumn {
  /** The header the provider writes for it (Marketo's columnHeaderNames may rename it). */
  readonly header: string;
  /** The provider's field name (what the request asks for). */
  readonly field: string;
  readonly type: ColumnType;
}

export type FileFormat = 'csv' | 'tsv' | 'ssv';

/** The shape of a dataset's files for a given (normalized) request. */
export interface DatasetLayout {
  readonly columns: readonly DatasetColumn[];
  readonly format: FileFormat;
  /** Texts the provider writes for "no value" (Marketo: the token `null`; Clickwrap: empty). */
  readonly nullTokens: readonly string[];
  /** The request field that decides the columns, for messages (`fields`, `columnHeaderNames`). */
  readonly columnsField: string;
}

/** A small table the provider serves beside a dataset (Marketo's activity types), refreshed by each run. */
export interface ReferenceTableDescriptor {
  /** Table name (Glue, DuckDB) and the folder under curated/. */
  readonly name: string;
  readonly description: string;
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
  /** Refreshed unless the config turns it off (false: only when the config turns it on). @default true */
  readonly onByDefault?: boolean;
}

/** How an export runs (windows or snapshots); see EXPORT_MODES. */
export type { ExportMode } from '#shared/export-definition';

/** The `<export>_latest` view of a windowed entity: the newest row per key by `orderBy`. */
export interface LatestViewKey {
  /** Provider fields that identify one entity (a lead's `id`; a program member's `leadId`, `programId`). */
  readonly key: readonly string[];
  /** The provider field whose greatest value marks the newest row (`updatedAt`). */
  readonly orderBy: string;
}

export interface DatasetDescriptor {
  /** The export definition's `dataset`. */
  readonly name: string;
  readonly description: string;
  /**
   * Rejects a bad request before any API call with a ValidationError naming the field; returns it
   * normalized (defaults filled in). With `window`, also checks the request as sent for that window.
   */
  validate(request: unknown, window?: ExportWindow): ProviderRequest;
  /** The file's columns and format for a request `validate` has normalized. */
  layout(request: ProviderRequest): DatasetLayout;
  /** Reference tables each run of this dataset refreshes (the adapter's `fetchReferenceTable` serves them). */
  readonly referenceTables?: readonly ReferenceTableDescriptor[];
  /** The mode a (normalized) request runs in; `incremental` when absent. */
  mode?(request: ProviderRequest): ExportMode;
  /**
   * For an entity dataset (one row per entity and change), the key of its `<export>_latest` view for a
   * (normalized) request; undefined when the dataset has no such view (activities are events).
   */
  latest?(request: ProviderRequest): LatestViewKey | undefined;
}

export interface CredentialsDescriptor {
  /** The JSON fields of the Secrets Manager secret, for docs and messages. */
  readonly secretFields: readonly string[];
  /** The environment variables a local run reads them from. */
  readonly envVariables: readonly string[];
  /** Credentials from the environment; undefined when none of the variables is set. */
  fromEnv(env: NodeJS.ProcessEnv): Record<string, string> | undefined;
}

export interface ProviderDescriptor<Dataset extends string = string, Name extends string = ProviderName> {
  readonly name: Name;
  readonly title: string;
  readonly limits: ProviderLimits;
  readonly datasets: { readonly [D in Dataset]: DatasetDescriptor };
  readonly credentials: CredentialsDescriptor;
}
