// The columns of the deleted-leads file, in file order, with their curated types. Pure: the descriptor
// (and so lib/ at `cdk synth`) reads them, and the adapter renders exactly these columns.
import type { DatasetColumn, DatasetLayout } from '#providers/descriptor';

/** Marketo's activity type id of "Delete Lead": every record of the route has it. */
export const DELETE_LEAD_ACTIVITY_TYPE_ID = 37;

/**
 * Like the bulk activity extract's default columns (`marketoGUID` first, `attributes` as JSON text),
 * plus the REST activity `id`, which every record has (older instances send no `marketoGUID`).
 * `primaryAttributeValueId` is the deleted lead's id, hence bigint like `leadId`.
 */
export const DELETED_LEADS_COLUMNS: readonly DatasetColumn[] = [
  { header: 'marketoGUID', field: 'marketoGUID', type: 'string' },
  { header: 'id', field: 'id', type: 'bigint' },
  { header: 'leadId', field: 'leadId', type: 'bigint' },
  { header: 'activityDate', field: 'activityDate', type: 'timestamp' },
  { header: 'activityTypeId', field: 'activityTypeId', type: 'int' },
  { header: 'primaryAttributeValueId', field: 'primaryAttributeValueId', type: 'bigint' },
  { header: 'primaryAttributeValue', field: 'primaryAttributeValue', type: 'string' },
  { header: 'attributes', field: 'attributes', type: 'string' },
];

/** The token written for an absent value, as Marketo's own files do. */
export const DELETED_LEADS_NULL_TOKEN = 'null';

export const DELETED_LEADS_LAYOUT: DatasetLayout = {
  columns: DELETED_LEADS_COLUMNS,
  format: 'csv',
  nullTokens: [DELETED_LEADS_NULL_TOKEN],
  columnsField: 'request',
};
