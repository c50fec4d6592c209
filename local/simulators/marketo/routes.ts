// Maps a request line to the Marketo endpoint it names. Bulk paths have no /rest prefix; REST ones do.
// Every bulk type is one route family (create, list, enqueue, status, cancel, file) under its own base.
import type { AssetType } from './asset-data';
import type { BulkTarget } from './bulk-target';
import type { CallKind } from './faults';

/** Which describe answer a describe route asks for. */
export type DescribeShape = 'leads' | 'leads2' | 'programMembers' | 'customObject';

export interface Route {
  readonly kind: CallKind;
  /** The method the endpoint accepts. */
  readonly method: 'GET' | 'POST';
  readonly exportId?: string;
  /** Bulk routes: the bulk type (and custom object) the path names. */
  readonly target?: BulkTarget;
  readonly describe?: { readonly shape: DescribeShape; readonly apiName?: string };
  /** Asset API listings: which assets. */
  readonly asset?: AssetType;
}

const BULK_BASE = /^\/bulk\/v1\/(activities|leads|program\/members|customobjects\/([^/]+))\/export(\/.*|\.json)$/;
const JOB_ACTION = /^\/([^/]+)\/(enqueue|status|cancel|file)\.json$/;
const ASSET_LISTING = /^\/rest\/asset\/v1\/(programs|smartCampaigns|staticLists|emails|forms|landingPages)\.json$/;
const CUSTOM_OBJECT_DESCRIBE = /^\/rest\/v1\/customobjects\/([^/]+)\/describe\.json$/;

const JOB_ROUTES: Readonly<Record<string, { kind: CallKind; method: 'GET' | 'POST' }>> = {
  enqueue: { kind: 'enqueue', method: 'POST' },
  status: { kind: 'status', method: 'GET' },
  cancel: { kind: 'cancel', method: 'POST' },
  file: { kind: 'file', method: 'GET' },
};

const REST_ROUTES: Readonly<Record<string, Route>> = {
  '/identity/oauth/token': { kind: 'token', method: 'POST' },
  '/rest/v1/activities/types.json': { kind: 'types', method: 'GET' },
  '/rest/v1/activities/pagingtoken.json': { kind: 'pagingtoken', method: 'GET' },
  '/rest/v1/activities/deletedleads.json': { kind: 'deletedleads', method: 'GET' },
  '/rest/v1/leads/describe.json': { kind: 'describe', method: 'GET', describe: { shape: 'leads' } },
  '/rest/v1/leads/describe2.json': { kind: 'describe', method: 'GET', describe: { shape: 'leads2' } },
  '/rest/v1/programs/members/describe.json': { kind: 'describe', method: 'GET', describe: { shape: 'programMembers' } },
};

function targetOf(base: string, apiName: string | undefined): BulkTarget {
  if (base === 'activities') return { type: 'activities' };
  if (base === 'leads') return { type: 'leads' };
  if (base === 'program/members') return { type: 'programMembers' };
  return { type: 'customObjects', apiName: decodeURIComponent(apiName ?? '') };
}

function matchBulkRoute(pathname: string): Route | undefined {
  const match = BULK_BASE.exec(pathname);
  if (!match) return undefined;
  const [, base = '', apiName, rest = ''] = match;
  const target = targetOf(base, apiName);
  if (rest === '.json') return { kind: 'list', method: 'GET', target };
  if (rest === '/create.json') return { kind: 'create', method: 'POST', target };
  const action = JOB_ACTION.exec(rest);
  const route = action ? JOB_ROUTES[action[2] ?? ''] : undefined;
  return route && action ? { ...route, exportId: decodeURIComponent(action[1] ?? ''), target } : undefined;
}

export function matchRoute(pathname: string): Route | undefined {
  const rest = Object.hasOwn(REST_ROUTES, pathname) ? REST_ROUTES[pathname] : undefined;
  if (rest) return rest;
  const asset = ASSET_LISTING.exec(pathname);
  if (asset) return { kind: 'assets', method: 'GET', asset: asset[1] as AssetType };
  const customObject = CUSTOM_OBJECT_DESCRIBE.exec(pathname);
  if (customObject)
    return {
      kind: 'describe',
      method: 'GET',
      describe: { shape: 'customObject', apiName: decodeURIComponent(customObject[1] ?? '') },
    };
  return matchBulkRoute(pathname);
}
