// An OpenRange for a plain HTTP(S) URL (a pre-signed link, a local simulator): sends Range, checks the
// answer strictly, and reports a server that ignored Range instead of hiding it. Error messages name
// the URL without its query string, which for a pre-signed link is a credential.
import { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import type { OpenedRange } from '#providers/types';
import { ProviderApiError, RangeMismatchError, RateLimitedError, TransientApiError } from '#shared/errors';
import { checkContentRange, parseUnsatisfiedRange, rangeHeader as rangeHeaderOf } from '#shared/http/content-range';
import { discardBody } from '#shared/http/discard-body';
import { contentLengthOf, firstHeader } from '#shared/http/header';
import { redactUrl } from '#shared/http/redact-url';
import { quoteProviderText } from '#shared/redact';
import { DEFAULT_HTTP_TIMEOUTS } from '#shared/http/timeouts';
import { describeTransportFailure, hostOf } from '#shared/http/transport-failure';
import type { OpenRange } from './range-reader';

export interface HttpRangeOpenerOptions {
  /** Extra request headers (never echoed into errors or logs). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly dispatcher?: Dispatcher;
  /** @default DEFAULT_HTTP_TIMEOUTS.headersMs */
  readonly headersTimeoutMs?: number;
  /** Longest silence inside a body before the read fails (and resumes). @default DEFAULT_HTTP_TIMEOUTS.bodyMs */
  readonly bodyTimeoutMs?: number;
}

export function httpRangeOpener(url: string | URL, options: HttpRangeOpenerOptions = {}): OpenRange {
  const where = redactUrl(url);
  const host = hostOf(url);
  return async (range, signal): Promise<OpenedRange> => {
    const rangeHeader = rangeHeaderOf(range);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        headers: { ...options.headers, range: rangeHeader },
        ...(signal ? { signal } : {}),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        headersTimeout: options.headersTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.headersMs,
        bodyTimeout: options.bodyTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyMs,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const code =
        typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
          ? (err as { code: string }).code
          : undefined;
      throw new TransientApiError(
        `GET ${where} (${rangeHeader}) failed: ${describeTransportFailure(err, host)}`,
        code,
        { cause: err },
      );
    }
    const { statusCode, headers, body } = response;

    if (statusCode === 206) {
      try {
        const got = checkContentRange(
          `GET ${where}`,
          range,
          firstHeader(headers, 'content-range'),
          firstHeader(headers, 'content-length'),
        );
        return {
          ranged: true,
          start: got.start,
          ...(got.total !== undefined ? { totalSize: got.total } : {}),
          body,
          host,
        };
      } catch (error) {
        discardBody(body);
        throw error;
      }
    }
    if (statusCode === 200) {
      const length = contentLengthOf(headers);
      return { ranged: false, start: 0, ...(length !== undefined ? { totalSize: length } : {}), body, host };
    }
    // The body is the remote host's text: quoted only redacted and bounded.
    const text = quoteProviderText(await body.text());
    if (statusCode === 416) {
      const total = parseUnsatisfiedRange(firstHeader(headers, 'content-range'));
      // Asking from exactly the end of the file: nothing left to read, which is not an error.
      if (total !== undefined && total === range.start)
        return { ranged: true, start: range.start, totalSize: total, body: Readable.from([]) };
      throw new RangeMismatchError(
        `GET ${where} (${rangeHeader}) is not satisfiable: the file has ${total ?? 'an unknown number of'} bytes`,
      );
    }
    if (statusCode === 429) {
      const retryAfter = firstHeader(headers, 'retry-after');
      throw new RateLimitedError(
        `GET ${where} was throttled (429)`,
        retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : 30,
        '429',
      );
    }
    if (statusCode >= 500 || statusCode === 408) {
      throw new TransientApiError(`GET ${where} answered ${statusCode}: ${text}`, String(statusCode));
    }
    throw new ProviderApiError(`GET ${where} answered ${statusCode}: ${text}`, String(statusCode));
  };
}
