// Marketo's describe data types → the curated columns' types. Pure: `layout(request)` runs at
// `cdk synth`, where describe cannot be called, so a request names its non-standard fields' types in
// `fieldTypes` (`npm start -- fields <export>` prints them) and standard fields are typed from each
// dataset's own table (`<dataset>-fields.ts`).
import type { ColumnType } from '#providers/descriptor';

/** The data types the describe routes name (others, e.g. `score` or `formula`, become strings). */
export const MARKETO_DATA_TYPES = [
  'integer',
  'float',
  'currency',
  'boolean',
  'date',
  'datetime',
  'string',
  'text',
  'email',
  'url',
  'phone',
  'reference',
] as const;

// Ids exceed 32 bits on large instances (and references hold ids): they get bigint, other integers int.
function isIdField(field: string): boolean {
  return field === 'id' || /Id$/.test(field);
}

/** The curated column type of a field of Marketo data type `dataType`. */
export function columnTypeOf(field: string, dataType: string): ColumnType {
  switch (dataType) {
    case 'integer':
      return isIdField(field) ? 'bigint' : 'int';
    case 'reference':
      return 'bigint';
    case 'float':
    case 'currency':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamp';
    default:
      return 'string';
  }
}
