// The results file from any byte: sets are fetched from a starting set (the first, or the one a
// saved SourcePosition names) and the bytes before the requested start are skipped. The first set is
// read before answering, so a refused call fails the open rather than the stream. The body marks where
// every set it fetched starts (`positionAt`), so a later open resumes there (RangeRequest.resumeFrom)
// without fetching the sets before it again.
import { Readable } from 'node:stream';
import { RangeMismatchError, SourcePositionExpiredError, ValidationError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import type { OpenedRange, RangeRequest, SourcePosition } from '#providers/types';
import type { PassStats, ResultsPager, ResultsTarget } from './results-pager';
import { decodePosition, encodePosition, START_POSITION, type ResultsPosition } from './results-position';

/**
 * The set to start from: the saved position when it lies at or before the start (one past it is of
 * no use and is ignored, as the contract says), else the first set. A position that is no longer
 * ours to read (another format, or its byte not where it says) cannot be trusted to skip anything.
 */
export function startingSet(range: RangeRequest): ResultsPosition {
  const saved = range.resumeFrom;
  if (!saved || saved.at > range.start) return START_POSITION;
  let from: ResultsPosition;
  try {
    from = decodePosition(saved.position);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new SourcePositionExpiredError(`Salesforce results: ${error.message}; the file is read again`, {
      cause: error,
    });
  }
  if (from.byte !== saved.at)
    throw new SourcePositionExpiredError(
      `Salesforce results: the saved position says byte ${from.byte}, the cursor byte ${saved.at}; the file is read again`,
    );
  return from;
}

export async function openResults(
  pager: ResultsPager,
  target: ResultsTarget,
  range: RangeRequest,
  logger: Logger,
  /** The client's own backoff so far (ms): between sets, ours to leave out of the source's rate. */
  ownWaitMs: () => number,
  signal?: AbortSignal,
): Promise<OpenedRange> {
  const from = startingSet(range);
  const waitedBefore = ownWaitMs();
  const stats: PassStats = { sets: 0, refetches: 0 };
  // Where each set fetched so far starts: every set before one of them is wholly in the bytes before it.
  const marks: SourcePosition[] = [];

  async function* bytes(): AsyncGenerator<Buffer> {
    let offset = from.byte;
    const end = range.endInclusive === undefined ? Infinity : range.endInclusive + 1;
    try {
      for await (const set of pager.pass(target, from, stats, signal)) {
        marks.push({ at: set.position.byte, position: encodePosition(set.position) });
        const setStart = offset;
        offset += set.bytes.length;
        if (set.next) marks.push({ at: set.next.byte, position: encodePosition(set.next) });
        if (offset <= range.start) continue;
        const head = Math.max(0, range.start - setStart);
        const tail = Math.min(set.bytes.length, end - setStart);
        if (tail > head) yield set.bytes.subarray(head, tail);
        if (offset >= end) return;
      }
      if (offset < range.start)
        throw new RangeMismatchError(`range start ${range.start} is past the end of the ${offset}-byte results`);
    } finally {
      logger.info('salesforce results pass', { jobId: target.jobId, fromSet: from.set + 1, ...stats });
    }
  }

  const iterator = bytes();
  const first = await iterator.next();
  async function* body(): AsyncGenerator<Buffer> {
    if (!first.done) yield first.value;
    yield* iterator;
  }
  return {
    ranged: true,
    start: range.start,
    body: Readable.from(body(), { objectMode: false }),
    ownWaitMs: () => ownWaitMs() - waitedBefore,
    positionAt: (offset) => marks.findLast((mark) => mark.at <= offset),
  };
}
