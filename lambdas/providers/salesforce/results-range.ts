// The results file from any byte: sets are fetched from a starting position (the first set, or one a
// previous body reported) and the bytes before the requested start are skipped. The first set is read
// before answering, so a refused call fails the open rather than the stream. The body reports the
// position of the set holding any byte it has handed out (`positionFor`), so a later reader resumes
// there without fetching the sets before it again.
import { Readable } from 'node:stream';
import { RangeMismatchError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import type { OpenedRange, RangeRequest } from '#providers/types';
import type { PassStats, ResultsPager, ResultsTarget } from './results-pager';
import { encodePosition, type ResultsPosition } from './results-position';

export interface PositionedRange extends OpenedRange {
  /** The position of the set holding file byte `offset`, for a byte this body has reached; else undefined. */
  positionFor(offset: number): string | undefined;
}

export async function openResults(
  pager: ResultsPager,
  target: ResultsTarget,
  from: ResultsPosition,
  range: RangeRequest,
  logger: Logger,
  /** The client's own backoff so far (ms): between sets, ours to leave out of the source's rate. */
  ownWaitMs: () => number,
  signal?: AbortSignal,
): Promise<PositionedRange> {
  const waitedBefore = ownWaitMs();
  const stats: PassStats = { sets: 0, refetches: 0 };
  const seen: ResultsPosition[] = [];
  let reached = from.byte;

  async function* bytes(): AsyncGenerator<Buffer> {
    let offset = from.byte;
    const end = range.endInclusive === undefined ? Infinity : range.endInclusive + 1;
    try {
      for await (const set of pager.pass(target, from, stats, signal)) {
        seen.push(set.position);
        const setStart = offset;
        offset += set.bytes.length;
        reached = offset;
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
    positionFor(offset) {
      if (offset < from.byte || offset > reached) return undefined;
      const holding = seen.filter((p) => p.byte <= offset).at(-1);
      return holding ? encodePosition(holding) : undefined;
    },
  };
}
