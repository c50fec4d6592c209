// The `activity_types` reference table: Marketo's activity type ids with their names, so that a query
// over activities can JOIN names in, and the named view can tell which asset table a primary attribute
// names. Served by GET /rest/v1/activities/types.json (one REST call a refresh).
import type { ReferenceTableDescriptor } from '#providers/descriptor';

export const ACTIVITY_TYPES_TABLE: ReferenceTableDescriptor = {
  name: 'activity_types',
  description:
    'Marketo activity types (id → name, description, primary attribute, attributes), refreshed by every run of a Marketo bulk export; `source` names the Marketo instance (its host) the rows describe.',
  columns: [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
    { name: 'description', type: 'string' },
    { name: 'primary_attribute', type: 'string' },
    /** JSON text: the type's attributes (name, dataType). */
    { name: 'attributes', type: 'string' },
    { name: 'source', type: 'string' },
  ],
};
