// Fetching one CSV link: policy checked before every connection (redirects included), the token only
// for the API origin, Range probed and Content-Range checked, 403 read as an expired link.
import { Readable } from 'node:stream';
import { LinkExpiredError, ProviderApiError, RangeMismatchError, TransientApiError } from '#shared/errors';
import { checkContentRange, parseUnsatisfiedRange, rangeHeader } from '#shared/http/content-range';
import { discardBody } from '#shared/http/discard-body';
import { contentLengthOf, firstHeader } from '#shared/http/header';
import { redactUrl } from '#shared/http/redact-url';
import type { OpenedRange, RangeRequest } from '#providers/types';
import { apiError, errorBodyText, send } from './http';
import type { HttpDeps, HttpResponse } from './http';
import { assertLinkAllowed } from './link-policy';
import type { LinkPolicy } from './link-policy';
import { notDataReason } from '#shared/http/data-content-type';

const MAX_REDIRECTS = 5;

export interface OpenLinkOptions {
  /** The file was marked to carry credentials; they still go only to the API origin. */
  readonly sendCredentials: boolean;
  /** Send `Range` even from byte 0, to learn whether the host honours it. */
  readonly probe: boolean;
  readonly signal?: AbortSignal;
}

function rangeValueFor(range: RangeRequest, probe: boolean): string | undefined {
  if (range.start === 0 && range.endInclusive === undefined && !probe) return undefined;
  return rangeHeader(range);
}

function checkedPartial(response: HttpResponse, range: RangeRequest, shown: string): OpenedRange {
  try {
    const got = checkContentRange(
      shown,
      range,
      firstHeader(response.headers, 'content-range'),
      firstHeader(response.headers, 'content-length'),
    );
    return {
      ranged: true,
      start: got.start,
      ...(got.total !== undefined ? { totalSize: got.total } : {}),
      body: response.body,
    };
  } catch (error) {
    discardBody(response.body);
    throw error;
  }
}

/** The whole file from byte 0 (the host ignored Range, or none was sent). */
function whole(response: HttpResponse): OpenedRange {
  const length = contentLengthOf(response.headers);
  const encoded = (firstHeader(response.headers, 'content-encoding') ?? 'identity') !== 'identity';
  const totalSize = encoded ? undefined : length;
  return { ranged: false, start: 0, ...(totalSize !== undefined ? { totalSize } : {}), body: response.body };
}

export async function openLink(
  deps: HttpDeps,
  policy: LinkPolicy,
  link: string,
  range: RangeRequest,
  options: OpenLinkOptions,
): Promise<OpenedRange> {
  let current = link;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const url = assertLinkAllowed(current, policy);
    const shown = `GET ${redactUrl(url)}`;
    const rangeValue = rangeValueFor(range, options.probe);
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
      const location = firstHeader(response.headers, 'location');
      discardBody(response.body);
      if (!location) throw new ProviderApiError(`${shown}: HTTP ${status} without a Location`, `HTTP ${status}`);
      // Resolve against the hop that redirected; the next iteration checks the target like any link.
      current = new URL(location, url).href;
      continue;
    }
    if (status === 200 || status === 206) {
      const notData = notDataReason(firstHeader(response.headers, 'content-type'));
      if (notData) {
        discardBody(response.body);
        // A maintenance page passes; the state machine's Retry asks again later.
        throw new TransientApiError(`${shown}: ${notData}`, 'not-data');
      }
    }
    if (status === 206) return checkedPartial(response, range, shown);
    if (status === 200) return whole(response);
    if (status === 416) {
      const total = parseUnsatisfiedRange(firstHeader(response.headers, 'content-range'));
      await errorBodyText(response.body, deps.apiToken);
      // Asking from the very end of the file (an empty file, or a resume at its end) is an empty range.
      if (total === range.start)
        return { ranged: true, start: range.start, totalSize: range.start, body: Readable.from([]) };
      throw new RangeMismatchError(`${shown}: range ${rangeValue ?? ''} not satisfiable (HTTP 416)`);
    }
    if (status === 403) {
      const body = await errorBodyText(response.body, deps.apiToken);
      throw new LinkExpiredError(`${shown}: HTTP 403, the link has expired or was revoked: ${body}`);
    }
    throw await apiError(deps, response, shown);
  }
  throw new ProviderApiError(`GET ${redactUrl(link)}: more than ${MAX_REDIRECTS} redirects`, 'redirects');
}
