// Query strings for the export task and the list route. Pure: the window and the user's filter become
// one `and`-joined filter, and every value is percent-encoded (a `+` in an e-mail address must reach
// the API as `%2B`, not as a space).
import type { ExportWindow } from '#providers/types';
import type { ClickwrapRequest } from './request';

/** `created_time>=<start> and created_time<<end>`, then the user's own filter, joined by `and`. */
export function windowFilter(window: ExportWindow, userFilter?: string): string {
  const bounds = `created_time>=${window.start} and created_time<${window.end}`;
  return userFilter ? `${bounds} and ${userFilter}` : bounds;
}

/** `a=1&b=2` with RFC 3986 encoding (spaces as %20, never `+`). */
export function encodeQuery(params: Readonly<Record<string, string | number | boolean>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

export function exportTaskQuery(window: ExportWindow, request: Pick<ClickwrapRequest, 'fields' | 'filter'>): string {
  return encodeQuery({
    filter: windowFilter(window, request.filter),
    fields: request.fields.join(','),
    no_count: true,
    lean: true,
  });
}

export function listPageQuery(filter: string, page: number, perPage: number): string {
  return encodeQuery({ filter, page, per_page: perPage, no_count: true, lean: true });
}
