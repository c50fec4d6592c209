// CheckJob's count of a deleted-leads window: the rendered file's size and records, page by page. A
// daily quota (607) met mid-count carries how far the count got (the next page's token, the bytes and
// records so far) in the deferral, so the check after the wait pages on from there instead of counting
// the window again; a token refused then (expired) counts the window from its start.
import { z } from 'zod';
import { QuotaExceededError, SourcePositionExpiredError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import { emptyStats, type PassStats } from './deleted-leads-pager';

/** A Marketo page token is tens of characters; anything far longer is not one this adapter wrote. */
const MAX_TOKEN_CHARS = 1024;

const CountProgressSchema = z.strictObject({
  token: z.string().min(1).max(MAX_TOKEN_CHARS),
  bytes: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
});
type CountProgress = z.infer<typeof CountProgressSchema>;

/** The rendered file from a page token on (from its start without one), each piece with the next page's token. */
export type RenderPages = (stats: PassStats, token?: string) => AsyncIterable<{ bytes: Buffer; next?: string }>;

export interface WindowCount {
  readonly bytes: number;
  readonly records: number;
  /** The pass that finished the count (a resumed count's calls are those after the wait). */
  readonly stats: PassStats;
  readonly resumed: boolean;
}

function parseProgress(resume: string | undefined, logger: Logger): CountProgress | undefined {
  if (resume === undefined) return undefined;
  try {
    return CountProgressSchema.parse(JSON.parse(resume));
  } catch {
    logger.warn('marketo deleted leads: the saved count progress is unreadable; counting the window again', {});
    return undefined;
  }
}

async function countFrom(render: RenderPages, from: CountProgress | undefined): Promise<WindowCount> {
  const stats = emptyStats();
  const records = () => (from?.records ?? 0) + stats.kept;
  let bytes = from?.bytes ?? 0;
  let reached = from;
  try {
    for await (const piece of render(stats, from?.token)) {
      bytes += piece.bytes.length;
      if (piece.next !== undefined) reached = { token: piece.next, bytes, records: records() };
    }
  } catch (error) {
    if (error instanceof QuotaExceededError && reached !== undefined)
      throw new QuotaExceededError(error.reason, error.resetAt, error.code, {
        cause: error,
        progress: JSON.stringify(reached),
      });
    throw error;
  }
  return { bytes, records: records(), stats, resumed: from !== undefined };
}

export async function countWindow(
  render: RenderPages,
  resume: string | undefined,
  logger: Logger,
): Promise<WindowCount> {
  const from = parseProgress(resume, logger);
  try {
    return await countFrom(render, from);
  } catch (error) {
    if (!(error instanceof SourcePositionExpiredError) || from === undefined) throw error;
    logger.warn('marketo deleted leads: the saved count position was refused; counting the window again', {
      message: error.message,
    });
    return countFrom(render, undefined);
  }
}
