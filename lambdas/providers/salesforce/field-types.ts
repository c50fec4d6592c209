// Salesforce describe field types → curated column types. Pure: `layout(request)` runs at `cdk synth`,
// where describe cannot be called, so a request names its fields' types in `fieldTypes`
// (`npm start -- fields <export>` prints them from describe) and the system fields every sObject has
// are typed here.
import type { ColumnType } from '#providers/descriptor';

/** Fields every queryable sObject has, with their describe types. */
export const SYSTEM_FIELD_TYPES: Readonly<Record<string, string>> = {
  Id: 'id',
  IsDeleted: 'boolean',
  CreatedDate: 'datetime',
  CreatedById: 'reference',
  LastModifiedDate: 'datetime',
  LastModifiedById: 'reference',
  SystemModstamp: 'datetime',
};

/** The curated column type of a describe `type` (anything else, e.g. `picklist` or `anyType`, is text). */
export function columnTypeOfSalesforce(type: string): ColumnType {
  switch (type.toLowerCase()) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'int';
    case 'long':
      return 'bigint';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamp';
    default:
      return 'string';
  }
}
