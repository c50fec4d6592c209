// What a caller hands MarketoApi and what it gets back, apart from the class so the callers above it
// (bulk jobs, the pager, describe) and the one-attempt code below it share the shapes without the Pool.
import type { Readable } from 'node:stream';
import type { PipelineError } from '#shared/errors';
import type { Envelope } from './envelope';
import type { Classified } from './error-codes';

export type CallKind =
  | 'token'
  | 'create'
  | 'enqueue'
  | 'status'
  | 'cancel'
  | 'list'
  | 'file'
  | 'types'
  | 'describe'
  | 'pagingtoken'
  | 'deletedleads'
  | 'assets';

export interface JsonCall {
  readonly kind: Exclude<CallKind, 'token' | 'file'>;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /**
   * 'report': a failure after which Marketo may have acted on the call (reset after sending, 5xx,
   * 604/608/611/713) is not repeated but thrown as OutcomeUnknownError. For job creation, where a
   * blind repeat could make a second job.
   */
  readonly ambiguousFailures?: 'retry' | 'report';
  /** Enqueue: 1029 "Job already queued" means it is queued, which is success. */
  readonly acceptAlreadyQueued?: boolean;
  /**
   * Told the wall-clock milliseconds this call spent in our own waits (the call limiter, rate-limit
   * and retry backoffs): a paged body leaves them out of the source's rate.
   */
  readonly onWait?: (ms: number) => void;
}

export type JsonResult =
  | { readonly envelope: Envelope; readonly alreadyQueued: false }
  | { readonly envelope?: undefined; readonly alreadyQueued: true };

export interface FileResponse {
  readonly statusCode: 200 | 206;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Must be consumed or destroyed: it holds a concurrency slot until it closes. */
  readonly body: Readable;
}

/** A call that may or may not have taken effect at Marketo; `error` is what to throw if it cannot be resolved. */
export class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError';
  constructor(readonly error: PipelineError) {
    super(error.message);
  }
}

/** One attempt's verdict, which the retry loop acts on. */
export type Outcome<T> =
  { readonly action: 'ok'; readonly value: T } | Exclude<Classified, { action: 'already-queued' }>;
