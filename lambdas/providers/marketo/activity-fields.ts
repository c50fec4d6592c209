// What Marketo documents for bulk activity exports (its Bulk Activity Extract reference).
// Kept apart from the validation so lib/ (Athena columns) can read the same lists.

/** The columns Marketo exports when a job names no `fields`, in file order. */
export const DEFAULT_ACTIVITY_FIELDS = [
  'marketoGUID',
  'leadId',
  'activityDate',
  'activityTypeId',
  'campaignId',
  'primaryAttributeValueId',
  'primaryAttributeValue',
  'attributes',
] as const;

/** Every field a job may ask for: the defaults plus `actionResult` (succeeded/skipped/failed). */
export const ACTIVITY_FIELDS = [...DEFAULT_ACTIVITY_FIELDS, 'actionResult'] as const;

export type ActivityField = (typeof ACTIVITY_FIELDS)[number];

// Marketo data types of the activity fields that are not strings (activities have no describe route).
const ACTIVITY_DATA_TYPES: Readonly<Partial<Record<ActivityField, string>>> = {
  leadId: 'integer',
  activityDate: 'datetime',
  activityTypeId: 'integer',
  campaignId: 'integer',
  primaryAttributeValueId: 'integer',
};

/** Every field a job may ask for with its Marketo data type, for `npm start -- fields`. */
export const ACTIVITY_FIELD_DATA_TYPES: readonly { readonly name: string; readonly dataType: string }[] =
  ACTIVITY_FIELDS.map((name) => ({
    name,
    dataType: ACTIVITY_DATA_TYPES[name] ?? 'string',
  }));

export const EXPORT_FORMATS = ['CSV', 'TSV', 'SSV'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Activity types that support primary-attribute filtering, by asset group. Marketo answers 1003 when
 * `activityTypeIds` mixes groups or names a type outside them, so we refuse that before any call.
 * The ids are Marketo's built-in activity type ids, the same on every instance.
 */
export const PRIMARY_ATTRIBUTE_GROUPS: Readonly<Record<string, readonly number[]>> = {
  'Attribute Name': [13, 22], // Change Data Value, Change Score
  'Marketing Program': [104], // Change Status in Progression
  'Static List': [24, 25], // Add to List, Remove from List
  'Web Form': [2], // Fill Out Form
};

/** Marketo refuses createdAt ranges longer than this. */
export const MAX_WINDOW_DAYS = 31;

/** Marketo's limit for primaryAttributeValueIds and for primaryAttributeValues. */
export const MAX_PRIMARY_ATTRIBUTE_VALUES = 50;
