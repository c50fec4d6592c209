// `npm start -- fields <export>` for a Salesforce export: the object's fields from its describe route
// (name, describe type, the curated column type, whether a Bulk query can select it), then the
// `fields` + `fieldTypes` snippet to paste into the export's request. Compound fields (addresses,
// geolocations) are listed but left out of the snippet: Bulk queries refuse them.
import type { SalesforceField } from '#providers/salesforce/index';

/** The request snippet: every selectable field, and the describe types of those that are not text. */
export function salesforceFieldsSnippet(fields: readonly SalesforceField[]): {
  fields: string[];
  fieldTypes?: Record<string, string>;
} {
  const selectable = fields.filter((f) => f.selectable);
  const fieldTypes = Object.fromEntries(
    selectable.filter((f) => f.columnType !== 'string').map((f) => [f.name, f.type]),
  );
  return Object.keys(fieldTypes).length > 0
    ? { fields: selectable.map((f) => f.name), fieldTypes }
    : { fields: selectable.map((f) => f.name) };
}

export function renderSalesforceFields(fields: readonly SalesforceField[]): string {
  const width = Math.max(5, ...fields.map((f) => f.name.length));
  const typeWidth = Math.max(4, ...fields.map((f) => f.type.length));
  const lines = [
    `${'field'.padEnd(width)}  ${'type'.padEnd(typeWidth)}  column`,
    ...fields.map(
      (f) =>
        `${f.name.padEnd(width)}  ${f.type.padEnd(typeWidth)}  ${f.selectable ? f.columnType : '(compound: select its components)'}`,
    ),
  ];
  const snippet = JSON.stringify(salesforceFieldsSnippet(fields), null, 2).split('\n').slice(1, -1).join('\n');
  return `${lines.join('\n')}\n\nPaste into the export's "request" (drop the fields you do not want; keep Id, SystemModstamp and IsDeleted):\n${snippet}\n`;
}
