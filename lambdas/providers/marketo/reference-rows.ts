// The rows of one of the instance's reference tables, from the route that serves it.
import { ProviderApiError } from '#shared/errors';
import type { ReferenceRow } from '#providers/types';
import { fetchActivityTypes } from './activity-types';
import { ACTIVITY_TYPES_TABLE } from './activity-types-table';
import { fetchAssetTable } from './asset-pager';
import { MARKETO_ASSET_TABLES } from './asset-tables';
import type { MarketoApi } from './marketo-api';

export async function fetchReferenceRows(api: MarketoApi, name: string, source: string): Promise<ReferenceRow[]> {
  if (name === ACTIVITY_TYPES_TABLE.name) return fetchActivityTypes(api, source);
  const asset = MARKETO_ASSET_TABLES.find((table) => table.name === name);
  if (!asset) throw new ProviderApiError(`marketo serves no reference table "${name}"`);
  return fetchAssetTable(api, asset, source);
}
