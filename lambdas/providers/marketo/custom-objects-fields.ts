// The fields every custom object has, with their Marketo data types: the custom-objects layout types
// them without a `fieldTypes` entry (an object's own fields come from the request).
export const CUSTOM_OBJECT_FIELD_TYPES: Readonly<Record<string, string>> = {
  marketoGUID: 'string',
  leadId: 'reference',
  createdAt: 'datetime',
  updatedAt: 'datetime',
};
