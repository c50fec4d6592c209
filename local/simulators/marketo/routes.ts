// Maps a request line to the Marketo endpoint it names. Bulk paths have no /rest prefix; REST ones do.
import type { CallKind } from './faults';

export interface Route {
  readonly kind: CallKind;
  /** The method the endpoint accepts. */
  readonly method: 'GET' | 'POST';
  readonly exportId?: string;
}

const EXPORT = '/bulk/v1/activities/export';
const JOB_ACTION = /^\/bulk\/v1\/activities\/export\/([^/]+)\/(enqueue|status|cancel|file)\.json$/;

const JOB_ROUTES: Readonly<Record<string, { kind: CallKind; method: 'GET' | 'POST' }>> = {
  enqueue: { kind: 'enqueue', method: 'POST' },
  status: { kind: 'status', method: 'GET' },
  cancel: { kind: 'cancel', method: 'POST' },
  file: { kind: 'file', method: 'GET' },
};

export function matchRoute(pathname: string): Route | undefined {
  if (pathname === '/identity/oauth/token') return { kind: 'token', method: 'POST' };
  if (pathname === `${EXPORT}/create.json`) return { kind: 'create', method: 'POST' };
  if (pathname === `${EXPORT}.json`) return { kind: 'list', method: 'GET' };
  if (pathname === '/rest/v1/activities/types.json') return { kind: 'types', method: 'GET' };
  if (pathname === '/rest/v1/activities/pagingtoken.json') return { kind: 'pagingtoken', method: 'GET' };
  if (pathname === '/rest/v1/activities/deletedleads.json') return { kind: 'deletedleads', method: 'GET' };
  const match = JOB_ACTION.exec(pathname);
  if (!match) return undefined;
  const [, exportId = '', action = ''] = match;
  const route = JOB_ROUTES[action];
  return route ? { ...route, exportId: decodeURIComponent(exportId) } : undefined;
}
