// Range requests and the Content-Range answers to them, checked strictly: a server (or a proxy) that
// answers another span must never be spliced into a file silently.
import { RangeMismatchError } from '../errors';

export interface ByteRange {
  readonly start: number;
  /** Omitted: to the end of the file. */
  readonly endInclusive?: number;
}

export interface ContentRange {
  readonly start: number;
  readonly endInclusive: number;
  /** Undefined when the server wrote `*` (size unknown). */
  readonly total?: number;
}

/** `bytes=<start>-<end?>`. */
export function rangeHeader(range: ByteRange): string {
  return `bytes=${range.start}-${range.endInclusive ?? ''}`;
}

/** `bytes <start>-<end>/<total|*>` of a 206, or undefined when it is not one. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const [, start, end, total] = match;
  return { start: Number(start), endInclusive: Number(end), ...(total === '*' ? {} : { total: Number(total) }) };
}

/** The file size a 416's Content-Range states, or undefined when it does not say. */
export function parseUnsatisfiedRange(value: string | undefined): number | undefined {
  const match = /^bytes \*\/(\d+)$/.exec(value?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * Accepts a 206 only if it starts at the requested byte, ends where asked (or, when the request ran
 * past the end, at the last byte), stays inside the file, and its Content-Length agrees. `what` names
 * the request in the error (e.g. `GET https://host/path`). Returns the parsed range.
 */
export function checkContentRange(
  what: string,
  requested: ByteRange,
  contentRange: string | undefined,
  contentLength: string | undefined,
): ContentRange {
  const got = parseContentRange(contentRange);
  const asked = rangeHeader(requested);
  const fail = (why: string) =>
    new RangeMismatchError(
      `${what}: asked ${asked}, got 206 with Content-Range ${JSON.stringify(contentRange ?? null)} (Content-Length ${contentLength ?? 'none'}): ${why}`,
    );
  if (!got) throw fail('not a byte range');
  if (got.start !== requested.start) throw fail('it starts elsewhere');
  if (got.endInclusive < got.start) throw fail('it ends before it starts');
  if (got.total !== undefined && got.endInclusive >= got.total) throw fail('it ends past the file');
  const lastByte = got.total === undefined ? undefined : got.total - 1;
  const expectedEnd =
    requested.endInclusive === undefined
      ? lastByte
      : lastByte === undefined
        ? requested.endInclusive
        : Math.min(requested.endInclusive, lastByte);
  if (expectedEnd !== undefined && got.endInclusive !== expectedEnd) throw fail(`it should end at byte ${expectedEnd}`);
  if (contentLength !== undefined && Number(contentLength) !== got.endInclusive - got.start + 1)
    throw fail('Content-Length disagrees');
  return got;
}
