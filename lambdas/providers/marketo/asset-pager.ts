// Pages through one Asset API listing (GET …/programs.json?offset=&maxReturn=200) into reference rows.
// Every page is one REST call through MarketoApi, so the call limiter (100 per 20 s), the shared daily
// budget and the errors-in-200 taxonomy apply as to every other call. The end of the listing is a page
// shorter than maxReturn, or Marketo's "no assets found" answer: a success without a result (with a
// warning), or the codes 702 (no data found) and 709 saying no assets were found.
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import type { ReferenceRow } from '#providers/types';
import { AssetRecordSchema, assetRow, type AssetRecord } from './asset-rows';
import type { MarketoAssetTable } from './asset-tables';
import type { MarketoApi } from './marketo-api';

/** The Asset API's largest page. */
export const ASSET_PAGE_SIZE = 200;
/** 200,000 assets of one type: past this the listing is not ending, and the refresh stops loudly. */
const MAX_PAGES = 1_000;

function isEndOfAssets(error: unknown): boolean {
  if (!(error instanceof ProviderApiError)) return false;
  if (error.code === '702') return true;
  return error.code === '709' && /no assets? (were )?found|not found/i.test(error.message);
}

/** One asset per id: a listing without a status filter may give an approved and a draft version of one asset. */
function keepOnePerId(records: readonly AssetRecord[]): AssetRecord[] {
  const byId = new Map<number, AssetRecord>();
  for (const record of records) {
    const seen = byId.get(record.id);
    if (!seen || (seen.status !== 'approved' && record.status === 'approved')) byId.set(record.id, record);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export async function fetchAssetTable(
  api: MarketoApi,
  table: MarketoAssetTable,
  source: string,
  signal?: AbortSignal,
): Promise<ReferenceRow[]> {
  const records: AssetRecord[] = [];
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES)
      throw new ProviderApiError(`Marketo ${table.path}: still more assets after ${MAX_PAGES} pages; refresh stopped`);
    let result: unknown[] | undefined;
    try {
      const { envelope } = await api.json({
        kind: 'assets',
        method: 'GET',
        path: table.path,
        query: { offset: String(page * ASSET_PAGE_SIZE), maxReturn: String(ASSET_PAGE_SIZE) },
        ...(signal ? { signal } : {}),
      });
      result = envelope?.result;
    } catch (error) {
      if (isEndOfAssets(error)) break;
      throw error;
    }
    if (!result || result.length === 0) break;
    const parsed = z.array(AssetRecordSchema).safeParse(result);
    if (!parsed.success)
      throw new ProviderApiError(
        `Marketo ${table.path}: unexpected result (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      );
    records.push(...parsed.data);
    if (result.length < ASSET_PAGE_SIZE) break;
  }
  return keepOnePerId(records).map((record) => assetRow(record, source));
}
