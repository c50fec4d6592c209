// Get Deleted Leads over MarketoApi (its token, limiter, retries and envelope errors): a date paging
// token for the window's start (GET /rest/v1/activities/pagingtoken.json), then pages of ≤ 300 records
// (GET /rest/v1/activities/deletedleads.json) until `moreResult` is false. The route has only a lower
// bound, so each page is cut to the window; a page wholly at or past the window's end ends the pass
// (the route answers in activity order), which keeps a backfill of an old window from paging up to today.
import { z } from 'zod';
import { ProviderApiError, SourcePositionExpiredError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import type { ExportWindow } from '#providers/types';
import { parseDeletedLead, type DeletedLead } from './deleted-leads-csv';
import type { MarketoApi } from './marketo-api';

export const PAGING_TOKEN_PATH = '/rest/v1/activities/pagingtoken.json';
export const DELETED_LEADS_PATH = '/rest/v1/activities/deletedleads.json';

/** Marketo's largest (and default) page: every call costs one of the 50,000 a day, so ask for all of it. */
export const DELETED_LEADS_BATCH_SIZE = 300;
/** 3 million records in one window: far past any real instance; beyond it the pass fails instead of looping. */
const MAX_PAGES = 10_000;
/** A token refused mid-pass (expired) restarts the pass from a fresh one this many times at most. */
const MAX_RESTARTS = 1;

const PageSchema = z.looseObject({
  nextPageToken: z.string().optional(),
  moreResult: z.boolean().optional(),
});

/** One page's in-window records and the token of the page after it (none once the pass has ended). */
export interface PassPage {
  readonly records: DeletedLead[];
  readonly next?: string;
}

/** What one pass through a window cost and found, for logs and the call budget. */
export interface PassStats {
  /** REST calls made: paging tokens plus pages. */
  calls: number;
  pages: number;
  /** Records the route returned, in and out of the window. */
  received: number;
  /** Records inside [start, end). */
  kept: number;
  before: number;
  after: number;
  restarts: number;
  /** Wall-clock ms spent in our own waits (call limiter, rate-limit and retry backoffs), not Marketo's. */
  waitedMs: number;
}

function isTokenRefusal(error: unknown): boolean {
  return error instanceof ProviderApiError && error.code === '1003' && /token/i.test(error.message);
}

export class DeletedLeadsPager {
  constructor(
    private readonly api: MarketoApi,
    private readonly logger: Logger,
  ) {}

  async pagingToken(since: string, signal?: AbortSignal, onWait?: (ms: number) => void): Promise<string> {
    const { envelope } = await this.api.json({
      kind: 'pagingtoken',
      method: 'GET',
      path: PAGING_TOKEN_PATH,
      query: { sinceDatetime: since },
      ...(signal ? { signal } : {}),
      ...(onWait ? { onWait } : {}),
    });
    const token = envelope?.nextPageToken;
    if (!token)
      throw new ProviderApiError('Marketo paging token call answered without a nextPageToken', 'unexpected-body');
    return token;
  }

  async page(
    token: string,
    signal?: AbortSignal,
    onWait?: (ms: number) => void,
  ): Promise<{ records: DeletedLead[]; nextPageToken?: string; moreResult: boolean }> {
    const query = { nextPageToken: token, batchSize: String(DELETED_LEADS_BATCH_SIZE) };
    const { envelope } = await this.api.json({
      kind: 'deletedleads',
      method: 'GET',
      path: DELETED_LEADS_PATH,
      query,
      ...(signal ? { signal } : {}),
      ...(onWait ? { onWait } : {}),
    });
    const page = PageSchema.parse(envelope ?? {});
    const records = (envelope?.result ?? []).map((r) => parseDeletedLead(r, 'deleted leads page'));
    return {
      records,
      moreResult: page.moreResult ?? false,
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  }

  /**
   * The window's records page by page (each yielded page holds its in-window records, possibly none),
   * in the route's order. `stats` is filled in as the pass goes and logged at its end. With `resume` (a
   * page token an earlier pass yielded), the pass continues at that page; a refused token then throws
   * SourcePositionExpiredError, since records before it were never seen here and could not be skipped.
   */
  async *pass(
    window: ExportWindow,
    stats: PassStats = emptyStats(),
    signal?: AbortSignal,
    resume?: string,
  ): AsyncGenerator<PassPage> {
    const start = Date.parse(window.start);
    const end = Date.parse(window.end);
    const onWait = (ms: number) => {
      stats.waitedMs += ms;
    };
    let token = resume ?? (await this.pagingToken(window.start, signal, onWait));
    if (resume === undefined) stats.calls += 1;
    // After a restart, the records of the refused pass that were already handed on are skipped.
    let skip = 0;
    let seen = 0;
    try {
      for (;;) {
        if (stats.pages >= MAX_PAGES)
          throw new ProviderApiError(
            `Marketo deleted leads: still moreResult after ${MAX_PAGES} pages`,
            'too-many-pages',
          );
        let page: Awaited<ReturnType<DeletedLeadsPager['page']>>;
        try {
          page = await this.page(token, signal, onWait);
        } catch (error) {
          if (!isTokenRefusal(error)) throw error;
          if (resume !== undefined) {
            throw new SourcePositionExpiredError(
              `Marketo deleted leads: the saved paging token was refused (${(error as Error).message}); the window is paged again from its start`,
              { cause: error },
            );
          }
          if (stats.restarts >= MAX_RESTARTS) throw error;
          stats.restarts += 1;
          this.logger.warn('marketo deleted leads: paging token refused mid-pass; restarting from a fresh one', {
            window,
            handedOn: seen,
            message: (error as Error).message,
          });
          token = await this.pagingToken(window.start, signal, onWait);
          stats.calls += 1;
          skip = seen;
          seen = 0;
          continue;
        }
        stats.calls += 1;
        stats.pages += 1;
        const kept: DeletedLead[] = [];
        let pastEnd = 0;
        for (const record of page.records) {
          const at = Date.parse(record.activityDate);
          if (Number.isNaN(at))
            throw new ProviderApiError(
              `Marketo deleted leads: record ${record.id} has an unreadable activityDate`,
              'unexpected-body',
            );
          seen += 1;
          if (seen <= skip) continue;
          stats.received += 1;
          if (at < start) stats.before += 1;
          else if (at >= end) {
            stats.after += 1;
            pastEnd += 1;
          } else {
            stats.kept += 1;
            kept.push(record);
          }
        }
        const ends = !page.moreResult || (page.records.length > 0 && pastEnd === page.records.length);
        const next = ends ? undefined : page.nextPageToken;
        yield { records: kept, ...(next !== undefined ? { next } : {}) };
        if (ends) return;
        if (next === undefined)
          throw new ProviderApiError(
            'Marketo deleted leads said moreResult without a nextPageToken',
            'unexpected-body',
          );
        token = next;
      }
    } finally {
      this.logger.info('marketo deleted leads pass', { window, ...stats });
    }
  }
}

export function emptyStats(): PassStats {
  return { calls: 0, pages: 0, received: 0, kept: 0, before: 0, after: 0, restarts: 0, waitedMs: 0 };
}
