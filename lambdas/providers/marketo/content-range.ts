// Checks a 206's Content-Range against the Range we asked for: a server that answers another span
// (or a proxy that rewrote it) must never be spliced into a file silently.
import { RangeMismatchError } from '../../shared/errors';

export interface ByteRange {
  readonly start: number;
  readonly endInclusive?: number;
}

export interface ContentRange {
  readonly start: number;
  readonly endInclusive: number;
  /** Undefined when the server wrote `*` (size unknown). */
  readonly total?: number;
}

export function rangeHeader(range: ByteRange): string {
  return `bytes=${range.start}-${range.endInclusive ?? ''}`;
}

export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const [, start, end, total] = match;
  return { start: Number(start), endInclusive: Number(end), total: total === '*' ? undefined : Number(total) };
}

/**
 * Accepts a 206 only if it starts at the requested byte and ends where asked (or, when the request ran
 * past the end, at the last byte), and its Content-Length agrees. Returns the parsed range.
 */
export function checkContentRange(requested: ByteRange, contentRange: string | undefined, contentLength: string | undefined): ContentRange {
  const got = parseContentRange(contentRange);
  const asked = `bytes=${requested.start}-${requested.endInclusive ?? ''}`;
  if (!got) throw new RangeMismatchError(`asked ${asked}, got 206 with Content-Range ${JSON.stringify(contentRange ?? null)}`);
  const fail = (why: string) => new RangeMismatchError(`asked ${asked}, got Content-Range ${contentRange}: ${why}`);
  if (got.start !== requested.start) throw fail('it starts elsewhere');
  if (got.endInclusive < got.start) throw fail('it ends before it starts');
  if (got.total !== undefined && got.endInclusive >= got.total) throw fail('it ends past the file');
  const lastByte = got.total === undefined ? undefined : got.total - 1;
  const expectedEnd = requested.endInclusive === undefined ? lastByte : lastByte === undefined ? requested.endInclusive : Math.min(requested.endInclusive, lastByte);
  if (expectedEnd !== undefined && got.endInclusive !== expectedEnd) throw fail(`it should end at byte ${expectedEnd}`);
  if (contentLength !== undefined && Number(contentLength) !== got.endInclusive - got.start + 1) throw fail(`Content-Length ${contentLength} disagrees`);
  return got;
}
