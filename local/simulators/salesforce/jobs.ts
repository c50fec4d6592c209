// Query jobs: creation (validated like Bulk 2.0 validates it), a lifecycle replayed from the clock on
// every call (UploadComplete → InProgress → JobComplete, or Failed / Aborted), job info as the API
// writes it, and result sets cut by opaque locators.
import { createHash } from 'node:crypto';
import { DELIMITERS, LINE_ENDINGS, type ColumnDelimiter, type LineEnding } from './csv';
import { recordsBetween } from './objects';
import { matches, modstampRange, parseSoql, SoqlError } from './soql';
import type { SalesforceSimState, SimJob } from './state';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;
/** Data exists from here on: an unbounded query still generates a finite set. */
const DATA_FROM_MS = Date.UTC(2024, 0, 1);

/** Salesforce's job-info dates: `2018-12-10T17:50:19.000+0000`. */
const infoDate = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export function jobsInLastDay(state: SalesforceSimState): SimJob[] {
  const since = state.now().getTime() - DAY_MS;
  return [...state.jobs.values()].filter((j) => j.createdMs > since);
}

export function createJob(state: SalesforceSimState, apiVersion: number, body: unknown): SimJob {
  if (typeof body !== 'object' || body === null)
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'Unexpected end of input or malformed JSON');
  const b = body as Record<string, unknown>;
  const operation = b.operation;
  if (operation !== 'query' && operation !== 'queryAll')
    throw new ApiError(400, 'INVALIDJOB', `Invalid operation: ${String(operation)}`);
  if (typeof b.query !== 'string' || b.query.trim() === '') throw new ApiError(400, 'INVALIDJOB', 'query is required');
  if (b.contentType !== undefined && b.contentType !== 'CSV')
    throw new ApiError(400, 'INVALIDJOB', `Invalid contentType: ${String(b.contentType)}`);
  const columnDelimiter = (b.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
  if (!(columnDelimiter in DELIMITERS))
    throw new ApiError(400, 'INVALIDJOB', `Invalid columnDelimiter: ${String(b.columnDelimiter)}`);
  const lineEnding = (b.lineEnding ?? 'LF') as LineEnding;
  if (!(lineEnding in LINE_ENDINGS))
    throw new ApiError(400, 'INVALIDJOB', `Invalid lineEnding: ${String(b.lineEnding)}`);
  if (jobsInLastDay(state).length >= state.options.dailyBulkV2QueryJobs) {
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      `Max bulk v2 query jobs (${state.options.dailyBulkV2QueryJobs}) per 24 hrs has been reached (${jobsInLastDay(state).length + 1})`,
    );
  }
  let parsed;
  try {
    parsed = parseSoql(b.query);
  } catch (error) {
    if (error instanceof SoqlError) throw new ApiError(400, error.errorCode, error.message);
    throw error;
  }
  state.jobCounter += 1;
  const id = `750${createHash('sha256').update(`${state.options.seed}:${state.jobCounter}`).digest('hex').slice(0, 12).toUpperCase()}`;
  const job: SimJob = {
    id,
    operation,
    query: b.query,
    parsed,
    apiVersion,
    columnDelimiter,
    lineEnding,
    createdMs: state.now().getTime(),
    state: 'UploadComplete',
    deleted: false,
    fetches: [],
  };
  if (state.faults.failNextJob !== undefined) {
    job.errorMessage = state.faults.failNextJob;
    delete state.faults.failNextJob;
  }
  state.jobs.set(id, job);
  return job;
}

/** Moves a job along by the clock: no timers, every call sees the state it would have by now. */
export function advance(state: SalesforceSimState, job: SimJob): SimJob {
  if (job.state === 'Aborted' || job.state === 'Failed' || job.state === 'JobComplete') return job;
  const age = state.now().getTime() - job.createdMs;
  if (age >= state.options.queuedMs) job.state = 'InProgress';
  if (age >= state.options.queuedMs + state.options.processingMs) {
    if (job.errorMessage !== undefined) {
      job.state = 'Failed';
    } else {
      job.records = matchingRecords(state, job);
      job.state = 'JobComplete';
    }
  }
  return job;
}

export function matchingRecords(
  state: SalesforceSimState,
  job: Pick<SimJob, 'parsed' | 'operation'>,
): Array<Readonly<Record<string, string | null>>> {
  const { fromMs, toMs } = modstampRange(job.parsed);
  const all = recordsBetween(
    job.parsed.object,
    Math.max(fromMs, DATA_FROM_MS),
    Math.min(toMs, state.now().getTime()),
    state.options.recordsPerDay,
    state.options.deletedEvery,
  );
  return all.filter((r) => matches(job.parsed, r) && (job.operation === 'queryAll' || r.IsDeleted !== 'true'));
}

export function jobInfo(state: SalesforceSimState, job: SimJob): Record<string, unknown> {
  const processed = job.state === 'JobComplete' ? (job.records?.length ?? 0) : 0;
  return {
    id: job.id,
    operation: job.operation,
    object: job.parsed.object.name,
    createdById: '005000000000001AAA',
    createdDate: infoDate(job.createdMs),
    systemModstamp: infoDate(
      Math.min(state.now().getTime(), job.createdMs + state.options.queuedMs + state.options.processingMs),
    ),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    jobType: 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: processed,
    retries: 0,
    totalProcessingTime: job.state === 'JobComplete' ? state.options.processingMs : 0,
    isPkChunkingSupported: true,
    ...(job.state === 'Failed' && job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}

/** Opaque locators (API ≥ 49.0): the offset of the set, encoded. */
export const locatorOf = (offset: number) => Buffer.from(`sim:${offset}`).toString('base64url');

export function offsetOf(locator: string | null): number {
  if (locator === null || locator === '') return 0;
  const m = /^sim:(\d+)$/.exec(Buffer.from(locator, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, 'INVALID_LOCATOR', `Invalid locator: ${locator}`);
  return Number(m[1]);
}

export function abortJob(state: SalesforceSimState, job: SimJob): void {
  advance(state, job);
  if (job.state !== 'UploadComplete' && job.state !== 'InProgress') {
    throw new ApiError(400, 'INVALIDJOBSTATE', `Job is already in a terminal state: ${job.state}`);
  }
  job.state = 'Aborted';
  job.abortedMs = state.now().getTime();
}

export function deleteJob(state: SalesforceSimState, job: SimJob): void {
  advance(state, job);
  if (job.state === 'UploadComplete' || job.state === 'InProgress') {
    throw new ApiError(400, 'API_ERROR', 'Error encountered when deleting the job because the job is not terminated');
  }
  job.deleted = true;
}
