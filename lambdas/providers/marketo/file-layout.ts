// The shape of a Marketo bulk file, common to every bulk type: the exported fields in order (renamed by
// `columnHeaderNames`), the format, and the token `null` for an absent value. Each dataset says which
// fields it exports and how a field is typed. Pure, so `cdk synth` can build the tables.
import type { ColumnType, DatasetLayout } from '#providers/descriptor';
import type { ProviderRequest } from '#providers/types';
import type { EntityRequest } from './entity-request';
import { columnTypeOf } from './field-types';

interface FileOptions {
  readonly columnHeaderNames?: Readonly<Record<string, string>> | undefined;
  readonly format?: string | undefined;
}

export function marketoFileLayout(
  options: FileOptions,
  fields: readonly string[],
  typeOf: (field: string) => ColumnType,
): DatasetLayout {
  const headers: Readonly<Record<string, string>> = options.columnHeaderNames ?? {};
  return {
    columns: fields.map((field) => ({ header: headers[field] ?? field, field, type: typeOf(field) })),
    format: (options.format ?? 'CSV').toLowerCase() as DatasetLayout['format'],
    // Marketo writes the token `null` for an absent value (an empty field is an empty string).
    nullTokens: ['null'],
    columnsField: options.columnHeaderNames ? 'columnHeaderNames' : 'fields',
  };
}

/**
 * The layout function of an entity dataset (leads, program members, custom objects) whose standard
 * fields have the Marketo data types `standard`; the request's `fieldTypes` type the others.
 */
export function entityLayout(standard: Readonly<Record<string, string>>) {
  return (request: ProviderRequest): DatasetLayout => {
    const entity = request as Partial<EntityRequest>;
    const types: Readonly<Record<string, string>> = { ...standard, ...entity.fieldTypes };
    return marketoFileLayout(entity, entity.fields ?? [], (field) => columnTypeOf(field, types[field] ?? 'string'));
  };
}
