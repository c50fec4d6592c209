// An OpenRange for a plain HTTP(S) URL (a pre-signed link, a local simulator): sends Range, checks the
// answer strictly, and reports a server that ignored Range instead of hiding it. Error messages name
// the URL without its query string, which for a pre-signed link is a credential.
import { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import { z } from 'zod';
import type { OpenedRange, RangeRequest } from '../providers/types';
import { ProviderApiError, RangeMismatchError, RateLimitedError, TransientApiError } from '../shared/errors';
import type { OpenRange } from './range-reader';

export interface HttpRangeOpenerOptions {
  /** Extra request headers (never echoed into errors or logs). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly dispatcher?: Dispatcher;
  /** @default 30000 */
  readonly headersTimeoutMs?: number;
  /** Longest silence inside a body before the read fails (and resumes). @default 60000 */
  readonly bodyTimeoutMs?: number;
}

const ContentRange = z.string().regex(/^bytes \d+-\d+\/(\d+|\*)$/);
const UnsatisfiedRange = z.string().regex(/^bytes \*\/\d+$/);
const Digits = z.string().regex(/^\d+$/);

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Closes a body nobody will read (undici reports an aborted body as an error event: swallow it here). */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** The URL as it may appear in a message: no query, no credentials. */
export function describeUrl(url: string | URL): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

interface ParsedContentRange {
  readonly start: number;
  readonly end: number;
  readonly total?: number;
}

function parseContentRange(value: string | undefined): ParsedContentRange | undefined {
  const checked = ContentRange.safeParse(value);
  if (!checked.success) return undefined;
  const [, span = '', total = ''] = /^bytes (\d+-\d+)\/(\d+|\*)$/.exec(checked.data) ?? [];
  const [start = NaN, end = NaN] = span.split('-').map(Number);
  return { start, end, ...(total === '*' ? {} : { total: Number(total) }) };
}

/** Whether a 206's Content-Range answers `range` exactly (an open range must run to the last byte). */
function matches(range: RangeRequest, cr: ParsedContentRange): boolean {
  if (cr.start !== range.start || cr.end < cr.start) return false;
  if (cr.total !== undefined && cr.end >= cr.total) return false;
  if (range.endInclusive !== undefined) return cr.end === range.endInclusive || (cr.total !== undefined && cr.end === cr.total - 1 && cr.end < range.endInclusive);
  return cr.total === undefined || cr.end === cr.total - 1;
}

export function httpRangeOpener(url: string | URL, options: HttpRangeOpenerOptions = {}): OpenRange {
  const where = describeUrl(url);
  return async (range, signal): Promise<OpenedRange> => {
    const rangeHeader = `bytes=${range.start}-${range.endInclusive ?? ''}`;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        headers: { ...options.headers, range: rangeHeader },
        ...(signal ? { signal } : {}),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        headersTimeout: options.headersTimeoutMs ?? 30_000,
        bodyTimeout: options.bodyTimeoutMs ?? 60_000,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const code = typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;
      throw new TransientApiError(`GET ${where} (${rangeHeader}) failed: ${err instanceof Error ? err.message : String(err)}`, code, { cause: err });
    }
    const { statusCode, headers, body } = response;

    if (statusCode === 206) {
      const cr = parseContentRange(headerValue(headers, 'content-range'));
      const length = Digits.safeParse(headerValue(headers, 'content-length'));
      if (!cr || !matches(range, cr) || (length.success && Number(length.data) !== cr.end - cr.start + 1)) {
        discard(body);
        throw new RangeMismatchError(
          `GET ${where} asked ${rangeHeader}, got Content-Range "${headerValue(headers, 'content-range') ?? ''}" (Content-Length ${headerValue(headers, 'content-length') ?? 'none'})`,
        );
      }
      return { ranged: true, start: cr.start, ...(cr.total !== undefined ? { totalSize: cr.total } : {}), body };
    }
    if (statusCode === 200) {
      const length = Digits.safeParse(headerValue(headers, 'content-length'));
      return { ranged: false, start: 0, ...(length.success ? { totalSize: Number(length.data) } : {}), body };
    }
    const text = (await body.text()).slice(0, 300);
    if (statusCode === 416) {
      const unsatisfied = UnsatisfiedRange.safeParse(headerValue(headers, 'content-range'));
      const total = unsatisfied.success ? Number(unsatisfied.data.slice('bytes */'.length)) : undefined;
      // Asking from exactly the end of the file: nothing left to read, which is not an error.
      if (total !== undefined && total === range.start) return { ranged: true, start: range.start, totalSize: total, body: Readable.from([]) };
      throw new RangeMismatchError(`GET ${where} (${rangeHeader}) is not satisfiable: the file has ${total ?? 'an unknown number of'} bytes`);
    }
    if (statusCode === 429) {
      const retryAfter = Digits.safeParse(headerValue(headers, 'retry-after'));
      throw new RateLimitedError(`GET ${where} was throttled (429)`, retryAfter.success ? Number(retryAfter.data) : 30, '429');
    }
    if (statusCode >= 500 || statusCode === 408) {
      throw new TransientApiError(`GET ${where} answered ${statusCode}: ${text}`, String(statusCode));
    }
    throw new ProviderApiError(`GET ${where} answered ${statusCode}: ${text}`, String(statusCode));
  };
}
