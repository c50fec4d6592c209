// Every reference table of one Marketo instance, refreshed as a whole by a run of any of its bulk
// exports: the activity types (Lead Database API) and the asset listings (Asset API).
import type { ReferenceTableDescriptor } from '#providers/descriptor';
import { ACTIVITY_TYPES_TABLE } from './activity-types-table';
import { MARKETO_ASSET_TABLES } from './asset-tables';

export const MARKETO_REFERENCE_TABLES: readonly ReferenceTableDescriptor[] = [
  ACTIVITY_TYPES_TABLE,
  ...MARKETO_ASSET_TABLES,
];
