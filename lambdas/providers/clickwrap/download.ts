// Fetching one CSV link: policy checked before every connection (redirects included), the token only
// for the API origin, Range probed and Content-Range checked, 403 read as an expired link.
import { Readable } from 'node:stream';
import { LinkExpiredError, ProviderApiError, RangeMismatchError } from '../../shared/errors';
import type { OpenedRange, RangeRequest } from '../types';
import { apiError, discard, errorBodyText, send } from './http';
import type { HttpDeps, HttpResponse } from './http';
import { assertLinkAllowed, describeLink } from './link-policy';
import type { LinkPolicy } from './link-policy';

const MAX_REDIRECTS = 5;

export interface OpenLinkOptions {
  /** The file was marked to carry credentials; they still go only to the API origin. */
  readonly sendCredentials: boolean;
  /** Send `Range` even from byte 0, to learn whether the host honours it. */
  readonly probe: boolean;
  readonly signal?: AbortSignal;
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rangeHeader(range: RangeRequest, probe: boolean): string | undefined {
  if (range.start === 0 && range.endInclusive === undefined && !probe) return undefined;
  return `bytes=${range.start}-${range.endInclusive ?? ''}`;
}

function checkedPartial(response: HttpResponse, range: RangeRequest, shown: string): OpenedRange {
  const contentRange = header(response, 'content-range') ?? '';
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange.trim());
  const first = match ? Number(match[1]) : NaN;
  const last = match ? Number(match[2]) : NaN;
  const total = match && match[3] !== '*' ? Number(match[3]) : undefined;
  const wantedLast = range.endInclusive === undefined ? (total !== undefined ? total - 1 : undefined) : total !== undefined ? Math.min(range.endInclusive, total - 1) : range.endInclusive;
  const ok = match !== null && first === range.start && last >= first && (wantedLast === undefined || last === wantedLast);
  if (!ok) {
    discard(response.body);
    throw new RangeMismatchError(`${shown}: asked for bytes ${range.start}-${range.endInclusive ?? ''}, got 206 with Content-Range "${contentRange}"`);
  }
  return { ranged: true, start: range.start, ...(total !== undefined ? { totalSize: total } : {}), body: response.body };
}

/** The whole file from byte 0 (the host ignored Range, or none was sent). */
function whole(response: HttpResponse): OpenedRange {
  const length = header(response, 'content-length');
  const encoded = (header(response, 'content-encoding') ?? 'identity') !== 'identity';
  const totalSize = length !== undefined && /^\d+$/.test(length) && !encoded ? Number(length) : undefined;
  return { ranged: false, start: 0, ...(totalSize !== undefined ? { totalSize } : {}), body: response.body };
}

export async function openLink(deps: HttpDeps, policy: LinkPolicy, link: string, range: RangeRequest, options: OpenLinkOptions): Promise<OpenedRange> {
  let current = link;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const url = assertLinkAllowed(current, policy);
    const shown = `GET ${describeLink(url)}`;
    const rangeValue = rangeHeader(range, options.probe);
    const response = await send(deps, {
      method: 'GET',
      url,
      withToken: options.sendCredentials,
      headers: { 'accept-encoding': 'identity', ...(rangeValue ? { range: rangeValue } : {}) },
      retryTransient: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const status = response.statusCode;

    if (status >= 300 && status < 400) {
      const location = header(response, 'location');
      discard(response.body);
      if (!location) throw new ProviderApiError(`${shown}: HTTP ${status} without a Location`, `HTTP ${status}`);
      // Resolve against the hop that redirected; the next iteration checks the target like any link.
      current = new URL(location, url).href;
      continue;
    }
    if (status === 206) return checkedPartial(response, range, shown);
    if (status === 200) return whole(response);
    if (status === 416) {
      const total = /^bytes \*\/(\d+)$/.exec((header(response, 'content-range') ?? '').trim());
      await errorBodyText(response.body, deps.apiToken);
      // Asking from the very end of the file (an empty file, or a resume at its end) is an empty range.
      if (total && Number(total[1]) === range.start) return { ranged: true, start: range.start, totalSize: range.start, body: Readable.from([]) };
      throw new RangeMismatchError(`${shown}: range ${rangeValue ?? ''} not satisfiable (HTTP 416)`);
    }
    if (status === 403) {
      const body = await errorBodyText(response.body, deps.apiToken);
      throw new LinkExpiredError(`${shown}: HTTP 403, the link has expired or was revoked: ${body}`);
    }
    throw await apiError(deps, response, shown);
  }
  throw new ProviderApiError(`GET ${describeLink(link)}: more than ${MAX_REDIRECTS} redirects`, 'redirects');
}
