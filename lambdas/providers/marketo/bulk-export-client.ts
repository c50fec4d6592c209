// Bulk export jobs over MarketoApi: create, enqueue, status, cancel, list (all pages) and ranged file
// download. Generic over the bulk type (see bulk-endpoint.ts: an endpoint is a dataset's base path); returns Marketo's own job records.
import { hostOf } from '#shared/http/transport-failure';
import { ProviderApiError } from '#shared/errors';
import { checkContentRange, rangeHeader, type ByteRange } from '#shared/http/content-range';
import { discardBody } from '#shared/http/discard-body';
import { contentLengthOf, firstHeader } from '#shared/http/header';
import type { Logger } from '#shared/logger';
import { RETRY_POLICY } from '#shared/retry-policy';
import type { OpenedRange } from '#providers/types';
import { bulkPaths, type BulkEndpoint, type CreateJobBody } from './bulk-endpoint';
import { BulkJobSchema, type BulkJob, type Envelope } from './envelope';
import { OutcomeUnknownError } from './api-call';
import type { MarketoApi } from './marketo-api';

/** Marketo's largest page for the job listing. */
export const LIST_BATCH_SIZE = 300;
const MAX_LIST_PAGES = 100;

export type { CreateJobBody } from './bulk-endpoint';

export interface BulkExportClientOptions {
  /** How many times a create whose outcome is unknown (and not found in the listing) is sent again, in all. @default RETRY_POLICY.marketoCreateAttempts */
  readonly maxCreateAttempts?: number;
}

function firstJob(envelope: Envelope, what: string): BulkJob {
  const parsed = BulkJobSchema.safeParse(envelope.result?.[0]);
  if (!parsed.success) throw new ProviderApiError(`Marketo ${what} answered without a job record`);
  return parsed.data;
}

// A filter as a comparable string: instants as epoch ms (offsets differ), id lists as sorted sets.
function canonicalFilter(filter: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([key, value]): [string, unknown] => {
      if (Array.isArray(value)) return [key, [...value].map((v) => JSON.stringify(v)).sort()];
      if (value && typeof value === 'object') {
        const range = value as Record<string, unknown>;
        return [
          key,
          Object.fromEntries(
            Object.entries(range)
              .map(([k, v]) => [k, typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : v])
              .sort(),
          ),
        ];
      }
      return [key, value];
    })
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

export class BulkExportClient {
  private readonly maxCreateAttempts: number;

  constructor(
    private readonly api: MarketoApi,
    private readonly logger: Logger,
    options: BulkExportClientOptions = {},
  ) {
    this.maxCreateAttempts = Math.max(1, options.maxCreateAttempts ?? RETRY_POLICY.marketoCreateAttempts);
  }

  /**
   * Creates a job (status Created). A create is never repeated blindly: when a failure leaves it unknown
   * whether Marketo made the job (reset after sending, 5xx, 604/608/611/713), the listing of Created
   * jobs is searched for one with exactly this filter and format, which is adopted if found (any such
   * job exports exactly this window). Only if none is found is the create sent again (bounded). Marketo's
   * documented listing carries no filter, so against the real API a lost job is usually not provable and
   * stays behind in Created, where it takes no queue slot and no export quota: only enqueued jobs cost.
   */
  async createJob(type: BulkEndpoint, body: CreateJobBody, signal?: AbortSignal): Promise<BulkJob> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.api.json({
          kind: 'create',
          method: 'POST',
          path: bulkPaths.create(type),
          body,
          signal,
          ambiguousFailures: 'report',
        });
        if (!result.envelope) throw new ProviderApiError('Marketo create answered "Job already queued"', '1029');
        return firstJob(result.envelope, 'create');
      } catch (error) {
        if (!(error instanceof OutcomeUnknownError)) throw error;
        const found = await this.findCreatedJob(type, body, signal);
        if (found) {
          this.logger.info('marketo create recovered from listing', {
            exportId: found.exportId,
            error: error.error.message,
          });
          return found;
        }
        if (attempt >= this.maxCreateAttempts) throw error.error;
        const delayMs = this.api.backoffMs(attempt);
        this.logger.warn('marketo create outcome unknown; not in listing; creating again', {
          attempt,
          error: error.error.message,
          delayMs,
        });
        await this.api.wait(delayMs, signal);
      }
    }
  }

  /** The newest Created job whose listed filter and format equal `body`'s, if the listing says. */
  async findCreatedJob(type: BulkEndpoint, body: CreateJobBody, signal?: AbortSignal): Promise<BulkJob | undefined> {
    const wanted = canonicalFilter(body.filter);
    const created = await this.listJobs(type, { status: ['Created'], signal });
    const matches = created.filter(
      (job) =>
        job.status === 'Created' &&
        job.filter !== undefined &&
        canonicalFilter(job.filter) === wanted &&
        (job.format ?? 'CSV').toUpperCase() === body.format.toUpperCase(),
    );
    return matches.sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''))[0];
  }

  /** Puts a Created job in the queue. `alreadyQueued`: Marketo said 1029 "Job already queued", which is success. */
  async enqueueJob(
    type: BulkEndpoint,
    exportId: string,
    signal?: AbortSignal,
  ): Promise<{ job?: BulkJob; alreadyQueued: boolean }> {
    const result = await this.api.json({
      kind: 'enqueue',
      method: 'POST',
      path: bulkPaths.enqueue(type, exportId),
      signal,
      acceptAlreadyQueued: true,
    });
    if (!result.envelope) return { alreadyQueued: true };
    return { job: firstJob(result.envelope, 'enqueue'), alreadyQueued: false };
  }

  async jobStatus(type: BulkEndpoint, exportId: string, signal?: AbortSignal): Promise<BulkJob> {
    const { envelope } = await this.api.json({
      kind: 'status',
      method: 'GET',
      path: bulkPaths.status(type, exportId),
      signal,
    });
    if (!envelope) throw new ProviderApiError('Marketo status answered "Job already queued"', '1029');
    return firstJob(envelope, 'status');
  }

  async cancelJob(type: BulkEndpoint, exportId: string, signal?: AbortSignal): Promise<BulkJob> {
    const { envelope } = await this.api.json({
      kind: 'cancel',
      method: 'POST',
      path: bulkPaths.cancel(type, exportId),
      signal,
    });
    if (!envelope) throw new ProviderApiError('Marketo cancel answered "Job already queued"', '1029');
    return firstJob(envelope, 'cancel');
  }

  /** This API user's jobs of the last 7 days, every page (`nextPageToken`), optionally by status. */
  async listJobs(
    type: BulkEndpoint,
    options: { status?: readonly string[]; batchSize?: number; signal?: AbortSignal } = {},
  ): Promise<BulkJob[]> {
    const jobs: BulkJob[] = [];
    const seenTokens = new Set<string>();
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
      const query: Record<string, string> = { batchSize: String(options.batchSize ?? LIST_BATCH_SIZE) };
      if (options.status?.length) query.status = options.status.join(',');
      if (pageToken) query.nextPageToken = pageToken;
      const { envelope } = await this.api.json({
        kind: 'list',
        method: 'GET',
        path: bulkPaths.list(type),
        query,
        signal: options.signal,
      });
      if (!envelope) throw new ProviderApiError('Marketo list answered "Job already queued"', '1029');
      const result = envelope.result ?? [];
      for (const item of result) {
        const parsed = BulkJobSchema.safeParse(item);
        if (!parsed.success) throw new ProviderApiError('Marketo list answered a job record without exportId/status');
        jobs.push(parsed.data);
      }
      pageToken = envelope.nextPageToken;
      // A repeated token or an empty page would loop forever: stop.
      if (!pageToken || result.length === 0 || seenTokens.has(pageToken)) break;
      seenTokens.add(pageToken);
    }
    return jobs;
  }

  /**
   * One ranged GET of a bulk file. 206 must carry a Content-Range matching the request
   * (RangeMismatchError otherwise); 200 means the server sent the whole file from byte 0.
   */
  async openFileRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<OpenedRange> {
    const response = await this.api.file(path, rangeHeader(range), signal);
    if (response.statusCode === 206) {
      try {
        const got = checkContentRange(
          `Marketo file ${path}`,
          range,
          firstHeader(response.headers, 'content-range'),
          firstHeader(response.headers, 'content-length'),
        );
        return {
          ranged: true,
          start: got.start,
          totalSize: got.total,
          body: response.body,
          host: hostOf(this.api.baseUrl),
        };
      } catch (error) {
        discardBody(response.body);
        throw error;
      }
    }
    const total = contentLengthOf(response.headers);
    this.logger.warn('marketo file ignored Range', { path, start: range.start });
    return { ranged: false, start: 0, totalSize: total, body: response.body, host: hostOf(this.api.baseUrl) };
  }
}
