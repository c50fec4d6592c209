// Get Paging Token and Get Deleted Leads, as the simulator answers them: a date token for
// `sinceDatetime`, then pages of the deterministic deletions (deleted-leads-data.ts) up to the
// simulator's now, `moreResult` while more exist. Tokens are opaque, carry when they were issued, and
// expire. Fault switches of their own (`faults`) so the bulk switches stay as they are.
import { z } from 'zod';
import { DeletedLeadsData, type DeletedLeadRecord } from './deleted-leads-data';
import type { InstanceTimeline } from './instance-timeline';
import { MarketoApiFailure } from './marketo-errors';

export type { DeletedLeadRecord } from './deleted-leads-data';
export { DELETED_LEAD_HAZARDS, DELETIONS_EPOCH_MS } from './deleted-leads-data';

export const DeletedLeadsOptionsSchema = z
  .object({
    /** Mean "Delete Lead" activities per hour. */
    perHour: z.number().int().min(0).max(49).default(2),
    /** How long a paging token (date or page) is accepted. Marketo documents no lifetime. */
    pagingTokenTtlSeconds: z.number().int().positive().default(3600),
    /**
     * A date token starts this long before `sinceDatetime`: Marketo's tokens name a place in the
     * activity log, not an instant, so a client must cut pages to its window itself.
     */
    pagingTokenSlackSeconds: z.number().int().min(0).default(600),
  })
  .strict();
export type DeletedLeadsOptions = z.input<typeof DeletedLeadsOptionsSchema>;

/** The route's largest (and default) page. */
export const DELETED_LEADS_MAX_BATCH = 300;

export interface DeletedLeadsFaults {
  /**
   * After `afterPages` more pages answered, the next `times` (default 1) deletedleads.json calls answer
   * `code` (606, 607, 611 …); with `expireTokens`, every token issued so far expires then too (as when a
   * deferral outlasts the tokens' lifetime).
   */
  failMidPaging?: { afterPages: number; code: string; message?: string; times?: number; expireTokens?: boolean };
  /** After this many more pages answered, every token issued so far expires (as if the pass took too long). */
  expireTokensAfterPages?: number;
}

export interface DeletedLeadsSimulator {
  /** Mutable switches, read when they matter. */
  readonly faults: DeletedLeadsFaults;
  /** What the route holds for [start, end) as of the simulator's now, in its order (for tests). */
  recordsBetween(start: string, end: string): DeletedLeadRecord[];
  /** Every token issued so far is answered as expired. */
  expirePagingTokens(): void;
  /** Pages answered so far. */
  pagesServed(): number;
  /**
   * Where each page answered so far started (the first deletion id its token named), in call order:
   * a page fetched twice shows as the same start twice (refused calls are not pages and are not listed).
   */
  pageStarts(): readonly number[];
}

interface TokenBody {
  /** The id the next page starts at. */
  readonly at: number;
  /** Issue time (epoch ms) and generation, for expiry. */
  readonly issued: number;
  readonly gen: number;
}

// ISO-8601 as the route takes it: a date, or a date-time with seconds (fraction allowed) and a zone.
const SINCE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function onlyParams(url: URL, allowed: readonly string[]): void {
  for (const name of url.searchParams.keys()) {
    if (!allowed.includes(name)) throw new MarketoApiFailure('1003', `Invalid parameter: '${name}'`);
  }
}

export class DeletedLeadsRoutes implements DeletedLeadsSimulator {
  readonly faults: DeletedLeadsFaults = {};
  private readonly data: DeletedLeadsData;
  private readonly options: z.output<typeof DeletedLeadsOptionsSchema>;
  private generation = 0;
  private served = 0;
  private readonly starts: number[] = [];

  constructor(
    private readonly now: () => Date,
    seed: number,
    options: DeletedLeadsOptions = {},
    timeline?: InstanceTimeline,
  ) {
    this.options = DeletedLeadsOptionsSchema.parse(options);
    this.data = new DeletedLeadsData({
      seed,
      perHour: this.options.perHour,
      ...(timeline ? { leadIdAt: (ms: number) => timeline.deletedLeadAt(ms) } : {}),
    });
    timeline?.useDeletions((start, end) => this.data.instantsBetween(start, end));
  }

  recordsBetween(start: string, end: string): DeletedLeadRecord[] {
    return this.data.between(Date.parse(start), Date.parse(end), this.now().getTime());
  }

  expirePagingTokens(): void {
    this.generation += 1;
  }

  pagesServed(): number {
    return this.served;
  }

  pageStarts(): readonly number[] {
    return [...this.starts];
  }

  /** GET /rest/v1/activities/pagingtoken.json?sinceDatetime=… → the envelope's extra members. */
  pagingToken(url: URL): { nextPageToken: string } {
    onlyParams(url, ['sinceDatetime']);
    const since = url.searchParams.get('sinceDatetime');
    if (since === null || since === '') throw new MarketoApiFailure('1003', 'sinceDatetime cannot be blank');
    const ms = SINCE.test(since) ? Date.parse(since.length === 10 ? `${since}T00:00:00Z` : since) : Number.NaN;
    if (Number.isNaN(ms)) throw new MarketoApiFailure('1003', `Invalid sinceDatetime: '${since}'`);
    const at = this.data.firstIdAtOrAfter(ms - this.options.pagingTokenSlackSeconds * 1000);
    return { nextPageToken: this.encode(at) };
  }

  /** GET /rest/v1/activities/deletedleads.json?nextPageToken=…[&batchSize=…] → result and paging members. */
  page(url: URL): { result: DeletedLeadRecord[]; nextPageToken: string; moreResult: boolean } {
    onlyParams(url, ['nextPageToken', 'batchSize']);
    const batchText = url.searchParams.get('batchSize');
    const batchSize = batchText === null ? DELETED_LEADS_MAX_BATCH : Number(batchText);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > DELETED_LEADS_MAX_BATCH) {
      throw new MarketoApiFailure('1003', `Invalid batchSize: '${batchText}' (1 to ${DELETED_LEADS_MAX_BATCH})`);
    }
    const token = url.searchParams.get('nextPageToken');
    if (token === null || token === '') throw new MarketoApiFailure('1003', 'nextPageToken cannot be blank');
    this.injectFaults();
    const at = this.decode(token);
    const { records, next, more } = this.data.page(at, batchSize, this.now().getTime());
    const nextPageToken = this.encode(next);
    this.served += 1;
    this.starts.push(at);
    this.countPage();
    return { result: records, nextPageToken, moreResult: more };
  }

  private injectFaults(): void {
    const fail = this.faults.failMidPaging;
    if (fail && fail.afterPages <= 0) {
      const left = (fail.times ?? 1) - 1;
      if (left <= 0) delete this.faults.failMidPaging;
      else fail.times = left;
      if (fail.expireTokens) this.expirePagingTokens();
      throw new MarketoApiFailure(fail.code, fail.message);
    }
  }

  private countPage(): void {
    const fail = this.faults.failMidPaging;
    if (fail && fail.afterPages > 0) fail.afterPages -= 1;
    const expire = this.faults.expireTokensAfterPages;
    if (expire !== undefined) {
      if (expire <= 1) {
        delete this.faults.expireTokensAfterPages;
        this.expirePagingTokens();
      } else this.faults.expireTokensAfterPages = expire - 1;
    }
  }

  private encode(at: number): string {
    const body: TokenBody = { at, issued: this.now().getTime(), gen: this.generation };
    return Buffer.from(JSON.stringify(body)).toString('base64url');
  }

  // Marketo's answer to a bad or stale token is not documented; 1003 (invalid value) naming the token is
  // this simulator's choice, and a client should restart from a fresh date token rather than parse it.
  private decode(token: string): number {
    let body: Partial<TokenBody> | undefined;
    try {
      body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
    } catch {
      body = undefined;
    }
    if (!body || !Number.isSafeInteger(body.at) || !Number.isFinite(body.issued) || !Number.isInteger(body.gen)) {
      throw new MarketoApiFailure('1003', 'Invalid nextPageToken');
    }
    const expired =
      body.gen! < this.generation || this.now().getTime() - body.issued! > this.options.pagingTokenTtlSeconds * 1000;
    if (expired) throw new MarketoApiFailure('1003', 'Expired nextPageToken');
    return Math.max(body.at!, this.data.firstIdAtOrAfter(0));
  }
}
