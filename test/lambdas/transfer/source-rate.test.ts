// The minimum-rate guard judges the source, not our own waits: time a paged body spends waiting out
// rate limits (OpenedRange.ownWaitMs) between its calls is left out, so a 606 storm of minutes
// between pages is no slow source, while the same gap with nothing to show for it still is.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { OpenedRange } from '../../../lambdas/providers/types';
import { silentLogger } from '../../../lambdas/shared/logger';
import { TransferTooSlowError } from '../../../lambdas/shared/errors';
import { readRange, type RangeReadStats } from '../../../lambdas/transfer/range-reader';
import { SourceRate } from '../../../lambdas/transfer/source-rate';
import { ManualClock } from '../providers/marketo/support/manual-clock';

const PAGE = 30_000;
const PAGES = 6;

/** A body of PAGES pages; before each page after the first the client "waits out a 606" of `gapMs` on the clock. */
function pagedBody(clock: ManualClock, gapMs: number, reportOwnWait: boolean): OpenedRange {
  let own = 0;
  async function* pages(): AsyncGenerator<Buffer> {
    for (let i = 0; i < PAGES; i += 1) {
      if (i > 0) {
        clock.advance(gapMs);
        own += gapMs;
      }
      clock.advance(10);
      yield Buffer.alloc(PAGE, 0x61);
    }
  }
  return {
    ranged: true,
    start: 0,
    totalSize: PAGE * PAGES,
    body: Readable.from(pages(), { objectMode: false }),
    ...(reportOwnWait ? { ownWaitMs: () => own } : {}),
  };
}

async function read(opened: () => OpenedRange, clock: ManualClock): Promise<number> {
  const stats: RangeReadStats = { requests: 0, resumes: 0, rangeIgnored: false };
  let bytes = 0;
  const options = {
    clock,
    logger: silentLogger,
    minBytesPerSecond: 8 * 1024,
    rateWindowMs: 60_000,
    backoffBaseMs: 1,
    backoffMaxMs: 1,
  };
  for await (const chunk of readRange(async () => opened(), 0, PAGE * PAGES, options, stats)) bytes += chunk.length;
  return bytes;
}

describe('the source rate leaves out our own waits', () => {
  it('SourceRate subtracts what the own-wait total grew by since the last chunk', () => {
    const rate = new SourceRate(500, 1_000, 0, 0);
    // 2 s between chunks, 1.9 s of them our own waiting: 100 bytes in 0.1 s of the source's time.
    expect(rate.arrived(50, 1_000, 950)).toBeUndefined();
    expect(rate.arrived(50, 2_000, 1_900)).toBeUndefined();
    rate.asking(2_000, 1_900);
    expect(rate.arrived(1_000, 3_000, 1_900)).toEqual({ verdict: 'ok', bytes: 1_100, seconds: 1.1 });
  });

  it('a 606 storm of 65 s between pages is not a slow source when the body reports it as its own wait', async () => {
    const clock = new ManualClock();
    expect(await read(() => pagedBody(clock, 65_000, true), clock)).toBe(PAGE * PAGES);
  });

  it('the same gaps unreported are judged slow, as before (the guard itself still works)', async () => {
    const clock = new ManualClock();
    await expect(read(() => pagedBody(clock, 65_000, false), clock)).rejects.toBeInstanceOf(TransferTooSlowError);
  });
});
