// What Athena sees of an export's files: columns in file order (OpenCSVSerDe maps by position), the
// delimiter, and the SQL type each column may be cast to in the typed view. Pure, so config
// validation and the storage construct agree, and so it can be tested without synthesizing.
import { z } from 'zod';
import { ValidationError } from '../lambdas/shared/errors';
import { toValidationError } from '../lambdas/shared/validation';
import type { ExportDefinition } from '../lambdas/shared/export-definition';
import { DEFAULT_ACTIVITY_FIELDS } from '../lambdas/providers/marketo/activity-fields';
import { validateProviderRequest } from '../lambdas/providers/validate-request';

/** Name of the partition column every export table is projected on. */
export const PARTITION_COLUMN = 'dt';

/** Marketo's file columns when `fields` is not given, in file order (the client's own list). */
export const MARKETO_DEFAULT_ACTIVITY_FIELDS = DEFAULT_ACTIVITY_FIELDS;

/** How the typed view converts a column (every table column is a string under OpenCSVSerDe). */
export type ViewType = 'varchar' | 'bigint' | 'integer' | 'timestamp';

export interface AthenaColumn {
  /** Column name in the Glue table: the file's header, lower-case, `.` and other symbols as `_`. */
  readonly name: string;
  /** The provider's field this column holds. */
  readonly field: string;
  readonly viewType: ViewType;
}

export type FileFormat = 'csv' | 'tsv' | 'ssv';

export interface AthenaLayout {
  readonly columns: readonly AthenaColumn[];
  readonly format: FileFormat;
  /** OpenCSVSerDe `separatorChar`. */
  readonly separator: string;
  /** How the provider writes an empty value; the typed view turns it into NULL. */
  readonly nullToken: string;
}

const SEPARATORS: Record<FileFormat, string> = { csv: ',', tsv: '\t', ssv: ' ' };

const MARKETO_FIELD_TYPES: Readonly<Record<string, ViewType>> = {
  leadId: 'bigint',
  activityDate: 'timestamp',
  activityTypeId: 'integer',
  campaignId: 'integer',
  primaryAttributeValueId: 'integer',
};

const CLICKWRAP_FIELD_TYPES: Readonly<Record<string, ViewType>> = {
  created_time: 'timestamp',
};

// Loose on purpose: the provider's own validator (validateProviderRequest) owns the rules; this only
// reads the parts that shape the file.
const MarketoLayoutRequest = z.looseObject({
  format: z.enum(['CSV', 'TSV', 'SSV']).default('CSV'),
  fields: z.array(z.string().min(1)).min(1).optional(),
  columnHeaderNames: z.record(z.string(), z.string()).optional(),
});

// The provider's validator fills in its default fields, so a normalized request always lists them.
const ClickwrapLayoutRequest = z.looseObject({
  fields: z.array(z.string().min(1)).min(1),
});

/**
 * The Athena layout of an export's files, from the request as the provider normalizes it (defaults
 * filled in). Throws ValidationError naming the request field when the provider rejects the request
 * or it cannot be mapped to a table (two columns with the same name, a column named like the partition).
 */
export function athenaLayout(definition: Pick<ExportDefinition, 'provider' | 'request'>): AthenaLayout {
  const request = validateProviderRequest(definition.provider, definition.request);
  switch (definition.provider) {
    case 'marketo':
      return marketoLayout(request);
    case 'clickwrap':
      return clickwrapLayout(request);
  }
}

function marketoLayout(request: unknown): AthenaLayout {
  const parsed = parseRequest(MarketoLayoutRequest, request);
  const fields = parsed.fields ?? MARKETO_DEFAULT_ACTIVITY_FIELDS;
  const headers = parsed.columnHeaderNames ?? {};
  const columns = fields.map((field) => ({
    name: athenaColumnName(headers[field] ?? field),
    field,
    viewType: MARKETO_FIELD_TYPES[field] ?? 'varchar',
  }));
  assertDistinctColumns(columns, parsed.columnHeaderNames ? 'columnHeaderNames' : 'fields');
  const format = parsed.format.toLowerCase() as FileFormat;
  return { columns, format, separator: SEPARATORS[format], nullToken: 'null' };
}

function clickwrapLayout(request: unknown): AthenaLayout {
  const parsed = parseRequest(ClickwrapLayoutRequest, request);
  const columns = parsed.fields.map((field) => ({
    name: athenaColumnName(field),
    field,
    viewType: CLICKWRAP_FIELD_TYPES[field] ?? 'varchar',
  }));
  assertDistinctColumns(columns, 'fields');
  return { columns, format: 'csv', separator: SEPARATORS.csv, nullToken: '' };
}

/** Athena folds names to lower case and wants identifiers; headers may hold dots, spaces, dashes. */
export function athenaColumnName(header: string): string {
  const name = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  return /^[a-z]/.test(name) ? name : `c_${name}`;
}

function assertDistinctColumns(columns: readonly AthenaColumn[], requestField: string): void {
  const seen = new Map<string, string>();
  for (const column of columns) {
    if (column.name === PARTITION_COLUMN) {
      throw new ValidationError(requestField, `"${column.field}" would become column "${PARTITION_COLUMN}", the partition column`);
    }
    const other = seen.get(column.name);
    if (other !== undefined) {
      throw new ValidationError(requestField, `"${other}" and "${column.field}" would both become Athena column "${column.name}"`);
    }
    seen.set(column.name, column.field);
  }
}

function parseRequest<T extends z.ZodType>(schema: T, request: unknown): z.infer<T> {
  const parsed = schema.safeParse(request);
  if (parsed.success) return parsed.data;
  throw toValidationError(parsed.error, { whole: 'request' });
}
