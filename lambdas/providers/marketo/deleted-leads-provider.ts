// Marketo's deleted leads as an ExportProvider. The route is no bulk job, so the adapter dresses it as
// one that needs no remote state: startJob answers `started` at once with a job whose id is the window;
// checkJob pages through the window once and answers `succeeded` with ONE file whose size (the bytes of
// the CSV rendered here) and record count it now knows; openRange pages again and streams the same
// deterministic CSV from the requested byte on. The generic transfer, its size check and the record
// count check then apply unchanged. No checksum is claimed: Marketo states none for this route.
import { Readable } from 'node:stream';
import { ForbiddenLinkError, RangeMismatchError, SizeMismatchError, ValidationError } from '#shared/errors';
import type { BackoffPolicy } from '#shared/http/backoff';
import type { HttpTimeouts } from '#shared/http/timeouts';
import type {
  CancelOutcome,
  ExportWindow,
  JobRef,
  JobStatus,
  OpenedRange,
  ProviderContext,
  ProviderLimits,
  ProviderRequest,
  RangeRequest,
  RemoteFile,
  SourcePosition,
  StartJobResult,
} from '#providers/types';
import type { CallLimiter } from './call-limiter';
import { parseMarketoCredentials, type MarketoCredentials } from './credentials';
import { countWindow } from './deleted-leads-count';
import { DELETED_LEADS_HEADER, renderDeletedLeads } from './deleted-leads-csv';
import {
  DELETED_LEADS_PATH,
  DeletedLeadsPager,
  emptyStats,
  type PassPage,
  type PassStats,
} from './deleted-leads-pager';
import { parseDeletedLeadsWindow, validateDeletedLeadsRequest } from './deleted-leads-request';
import { MARKETO_LIMITS } from './descriptor';
import { MarketoApi } from './marketo-api';
import type { MarketoProvider } from './provider';
import { parseRange } from './range-request';

/** Nothing remote to cancel; the rest as for every Marketo export (window span, concurrency, retention). */
export const DELETED_LEADS_LIMITS: ProviderLimits = { ...MARKETO_LIMITS, cancelsJobs: false };

export interface DeletedLeadsProviderOptions {
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly limiter?: CallLimiter;
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly backoff?: BackoffPolicy;
}

const JOB_PREFIX = 'deleted-leads:';

/** The job id is the window itself: a re-run of the window finds "its job" without any remote state. */
export function deletedLeadsJobId(window: ExportWindow): string {
  return `${JOB_PREFIX}${window.start}/${window.end}`;
}

function windowOfJob(job: JobRef): ExportWindow {
  const id = typeof job?.id === 'string' ? job.id : '';
  const [start, end, extra] = id.startsWith(JOB_PREFIX) ? id.slice(JOB_PREFIX.length).split('/') : [];
  if (!start || !end || extra !== undefined)
    throw new ValidationError(
      'job.id',
      `"${id.slice(0, 80)}" is not a deleted-leads job id (deleted-leads:<start>/<end>)`,
    );
  return parseDeletedLeadsWindow({ start, end });
}

/** The route the bytes come from; the fragment (never sent) names the window the adapter cuts them to. */
export function deletedLeadsFilePath(window: ExportWindow): string {
  return `${DELETED_LEADS_PATH}#${window.start}/${window.end}`;
}

function windowOfFile(file: RemoteFile): ExportWindow {
  const prefix = `${DELETED_LEADS_PATH}#`;
  if (file.source.kind !== 'api' || !file.source.path.startsWith(prefix)) {
    throw new ForbiddenLinkError(`a deleted-leads file must be the API path ${prefix}<start>/<end>`);
  }
  const [start, end, extra] = file.source.path.slice(prefix.length).split('/');
  if (!start || !end || extra !== undefined)
    throw new ForbiddenLinkError(`a deleted-leads file must be the API path ${prefix}<start>/<end>`);
  return parseDeletedLeadsWindow({ start, end });
}

function pageNext(page: PassPage): { next?: string } {
  return page.next !== undefined ? { next: page.next } : {};
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createDeletedLeadsProvider(
  credentials: MarketoCredentials,
  ctx: ProviderContext,
  options: DeletedLeadsProviderOptions = {},
): MarketoProvider {
  const parsed = parseMarketoCredentials(credentials);
  const api = new MarketoApi({
    credentials: parsed,
    clock: ctx.clock,
    logger: ctx.logger,
    random: options.random ?? Math.random,
    maxAttempts: options.maxAttempts,
    limiter: options.limiter,
    timeouts: options.timeouts,
    backoff: options.backoff,
    telemetry: ctx.telemetry,
    ...(ctx.callBudget ? { callBudget: ctx.callBudget } : {}),
  });
  const pager = new DeletedLeadsPager(api, ctx.logger);

  /**
   * The file's bytes, page by page: the header, then each page's in-window rows, each with the token of
   * the page after it. From a saved position the header and the pages before it are not rendered again.
   */
  async function* rendered(
    window: ExportWindow,
    stats: PassStats,
    signal?: AbortSignal,
    resume?: string,
  ): AsyncGenerator<{ bytes: Buffer; next?: string }> {
    const pages = pager.pass(window, stats, signal, resume);
    // The token and first page come before any byte, so a refused call fails whoever asked first.
    const first = await pages.next();
    if (resume === undefined) yield { bytes: DELETED_LEADS_HEADER };
    if (first.done) return;
    yield { bytes: renderDeletedLeads(first.value.records), ...pageNext(first.value) };
    for await (const page of pages) yield { bytes: renderDeletedLeads(page.records), ...pageNext(page) };
  }

  /**
   * Bytes [from, to] of the rendered file; fails (named) when the file comes out another size than
   * `size`. Starts at `resume` when it lies at or before `from`, and notes in `marks` where each page
   * ends and which token follows it.
   */
  async function* slice(
    window: ExportWindow,
    range: { from: number; to: number | undefined; resume: SourcePosition | undefined },
    size: number | undefined,
    stats: PassStats,
    marks: SourcePosition[],
    signal?: AbortSignal,
  ): AsyncGenerator<Buffer> {
    const { from, to } = range;
    const resume = range.resume && range.resume.at <= from ? range.resume : undefined;
    let offset = resume?.at ?? 0;
    for await (const chunk of rendered(window, stats, signal, resume?.position)) {
      const chunkStart = offset;
      offset += chunk.bytes.length;
      if (size !== undefined && offset > size) break;
      if (chunk.next !== undefined) marks.push({ at: offset, position: chunk.next });
      if (offset <= from) continue;
      const head = Math.max(0, from - chunkStart);
      const tail = to === undefined ? chunk.bytes.length : Math.min(chunk.bytes.length, to + 1 - chunkStart);
      if (tail > head) yield chunk.bytes.subarray(head, tail);
      if (to !== undefined && offset > to) return;
    }
    if (size !== undefined && offset !== size) {
      throw new SizeMismatchError(
        `Marketo deleted leads ${window.start}..${window.end} now renders to ${offset > size ? `more than ${size}` : offset} bytes, ${size} when the window was counted: the route's records in the window changed`,
      );
    }
  }

  return {
    name: 'marketo',
    limits: DELETED_LEADS_LIMITS,
    host: new URL(parsed.baseUrl).host,

    validate(request: unknown, window?: ExportWindow): ProviderRequest {
      return validateDeletedLeadsRequest(request, window);
    },

    async startJob(window: ExportWindow, request: ProviderRequest): Promise<StartJobResult> {
      validateDeletedLeadsRequest(request, window);
      const id = deletedLeadsJobId(parseDeletedLeadsWindow(window));
      // There is no remote job to create, enqueue or resume: the window is all a check needs.
      return { kind: 'started', job: { id, createdAt: isoSeconds(ctx.clock.now()) }, pollAfterSeconds: 0 };
    },

    async checkJob(job: JobRef, pollCount: number, resume?: string): Promise<JobStatus> {
      if (!Number.isSafeInteger(pollCount) || pollCount < 0)
        throw new ValidationError('pollCount', 'must be a non-negative integer');
      const window = windowOfJob(job);
      const count = await countWindow((stats, token) => rendered(window, stats, undefined, token), resume, ctx.logger);
      const { stats, bytes: size } = count;
      const file: RemoteFile = {
        index: 1,
        source: { kind: 'api', path: deletedLeadsFilePath(window) },
        sendCredentials: true,
        size,
        rangeSupport: 'yes',
        format: 'csv',
      };
      ctx.logger.info('marketo deleted leads counted', {
        window,
        records: count.records,
        bytes: size,
        calls: stats.calls,
        pages: stats.pages,
        resumed: count.resumed,
      });
      return {
        state: 'succeeded',
        files: [file],
        records: count.records,
        nextPollSeconds: 0,
        providerStatus: `paged (${stats.pages} page${stats.pages === 1 ? '' : 's'}, ${stats.calls} calls)`,
      };
    },

    async openRange(file: RemoteFile, range: RangeRequest, signal?: AbortSignal): Promise<OpenedRange> {
      const window = windowOfFile(file);
      const wanted = parseRange(range);
      const size = file.size;
      if (size !== undefined && wanted.start >= size) {
        // A finished transfer asks for the byte after the last: no call is spent on it.
        if (wanted.start === size)
          return { ranged: true, start: wanted.start, totalSize: size, body: Readable.from([]) };
        throw new RangeMismatchError(`range start ${wanted.start} is past the end of the ${size}-byte file`);
      }
      const stats = emptyStats();
      const marks: SourcePosition[] = [];
      const bytes = slice(
        window,
        { from: wanted.start, to: wanted.endInclusive, resume: range.resumeFrom },
        size,
        stats,
        marks,
        signal,
      );
      // The first bytes are read before answering, so a refused call fails the open rather than the stream.
      const first = await bytes.next();
      async function* body(): AsyncGenerator<Buffer> {
        if (!first.done) yield first.value;
        yield* bytes;
      }
      return {
        ranged: true,
        start: wanted.start,
        ...(size !== undefined ? { totalSize: size } : {}),
        body: Readable.from(body(), { objectMode: false }),
        // Every page is a call: a 606 storm between pages is our wait, not a slow source.
        ownWaitMs: () => stats.waitedMs,
        positionAt: (offset) => marks.findLast((mark) => mark.at <= offset),
      };
    },

    // No remote job ever runs: there is nothing to cancel, and nothing is claimed.
    async cancelJob(job: JobRef): Promise<CancelOutcome> {
      ctx.logger.info('marketo deleted leads: no remote job, nothing to cancel', {
        jobId: typeof job?.id === 'string' ? job.id.slice(0, 120) : undefined,
      });
      return 'ended';
    },

    close: () => api.close(),
  };
}
