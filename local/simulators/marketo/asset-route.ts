// GET /rest/asset/v1/<type>.json?offset=&maxReturn=: one page of an asset listing. maxReturn defaults
// to 20 and may be at most 200; a page past the end answers "No assets found" (a success without a
// result and with a warning), or the code `faults.assetListing.endAnswer` names.
import type { AssetListingSwitches } from './faults';
import { assetListing, type AssetType } from './asset-data';
import { MarketoApiFailure } from './marketo-errors';

export const NO_ASSETS_FOUND = 'No assets found for the given search criteria.';

export type AssetPage = { result: Record<string, unknown>[] } | { warnings: string[] };

function intParam(url: URL, name: string, fallback: number, max: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) throw new MarketoApiFailure('1003', `Invalid value for ${name}: ${text}`);
  return value;
}

export function assetPage(type: AssetType, url: URL, switches: AssetListingSwitches = {}): AssetPage {
  const offset = intParam(url, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const maxReturn = Math.max(1, intParam(url, 'maxReturn', 20, 200));
  const page = assetListing(type, switches.extraPerType ?? 0).slice(offset, offset + maxReturn);
  if (page.length > 0) return { result: page };
  const end = switches.endAnswer ?? 'warning';
  if (end === '702') throw new MarketoApiFailure('702', 'No data found for given search scenario');
  if (end === '709') throw new MarketoApiFailure('709', NO_ASSETS_FOUND);
  return { warnings: [NO_ASSETS_FOUND] };
}
