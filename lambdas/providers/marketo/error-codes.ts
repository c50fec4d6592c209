// Marketo's error taxonomy (errors come in HTTP 200 bodies, with Marketo's documented codes), mapped onto the
// pipeline's named errors. Every `success:false` body and every HTTP failure goes through here, so the
// table below is the one place that decides what is retried, deferred or fatal.
import {
  FilterNotSupportedError,
  ProviderApiError,
  QueueFullError,
  QuotaExceededError,
  RateLimitedError,
  TransientApiError,
  TlsVerificationError,
  type PipelineError,
} from '#shared/errors';
import { quoteProviderText } from '#shared/redact';
import { RATE_LIMIT_WAIT_MS } from './backoff';
import { nextQuotaReset } from './quota-reset';
import { tlsVerificationCode } from '#shared/http/tls';
import { describeTransportFailure } from '#shared/http/transport-failure';

export const MARKETO_CODES = {
  ACCESS_TOKEN_INVALID: '601',
  ACCESS_TOKEN_EXPIRED: '602',
  REQUEST_TIMED_OUT: '604',
  RATE_LIMIT: '606',
  DAILY_QUOTA: '607',
  TEMPORARILY_UNAVAILABLE: '608',
  SYSTEM_ERROR: '611',
  CONCURRENCY_LIMIT: '615',
  TRANSIENT: '713',
  INVALID_REQUEST: '1003',
  BULK_QUEUE: '1029',
  FILTER_NOT_SUPPORTED: '1035',
} as const;

const TRANSIENT_CODES: ReadonlySet<string> = new Set(['604', '608', '611', '713']);
const RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['606', '615']);
const TOKEN_CODES: ReadonlySet<string> = new Set(['601', '602']);

/** What the caller does with a failed call. */
export type Classified =
  /** 601/602: fetch a new token and repeat the call, once. */
  | { readonly action: 'refresh-token'; readonly code: string; readonly message: string }
  /** Try again after a backoff (at least `minDelayMs`); `maybeProcessed`: Marketo may have acted on it. */
  | {
      readonly action: 'retry';
      readonly error: PipelineError;
      readonly minDelayMs?: number;
      readonly maybeProcessed: boolean;
    }
  /** Give up now: the named error goes to the state machine. */
  | { readonly action: 'fail'; readonly error: PipelineError }
  /** 1029 "Job already queued": the enqueue has already happened, which is what we wanted. */
  | { readonly action: 'already-queued' };

export type RetryOrFail = Extract<Classified, { action: 'retry' | 'fail' }>;

/** Tells the three meanings of 1029 apart by message (Marketo reuses the code). */
export function classify1029(message: string): 'already-queued' | 'quota' | 'queue-full' | 'unknown' {
  if (/already\s+queued/i.test(message)) return 'already-queued';
  if (/quota/i.test(message)) return 'quota';
  if (/too many jobs|queue/i.test(message)) return 'queue-full';
  return 'unknown';
}

/** Marketo's message is provider text: quoted only redacted and bounded (it may echo a credential). */
function describe(code: string, message: string): string {
  return `Marketo error ${quoteProviderText(code, 40)}: ${quoteProviderText(message) || '(no message)'}`;
}

/**
 * Classifies one `{code, message}` from a `success:false` body. `now` dates quota resets;
 * `queueFullRetryAfterSeconds` is what a QueueFullError tells the caller to wait.
 */
export function classifyMarketoError(
  code: string,
  message: string,
  now: Date,
  queueFullRetryAfterSeconds: number,
): Classified {
  const text = describe(code, message);
  if (TOKEN_CODES.has(code)) return { action: 'refresh-token', code, message: quoteProviderText(message) };
  if (TRANSIENT_CODES.has(code))
    return { action: 'retry', error: new TransientApiError(text, code), maybeProcessed: true };
  // Throttled calls are refused before Marketo looks at them, so even a create may be repeated.
  if (RATE_LIMIT_CODES.has(code)) {
    return {
      action: 'retry',
      error: new RateLimitedError(text, RATE_LIMIT_WAIT_MS / 1000, code),
      minDelayMs: RATE_LIMIT_WAIT_MS,
      maybeProcessed: false,
    };
  }
  if (code === MARKETO_CODES.DAILY_QUOTA)
    return { action: 'fail', error: new QuotaExceededError(text, nextQuotaReset(now), code) };
  if (code === MARKETO_CODES.BULK_QUEUE) {
    switch (classify1029(message)) {
      case 'already-queued':
        return { action: 'already-queued' };
      case 'quota':
        return { action: 'fail', error: new QuotaExceededError(text, nextQuotaReset(now), code) };
      case 'queue-full':
        return { action: 'fail', error: new QueueFullError(text, queueFullRetryAfterSeconds) };
      case 'unknown':
        break;
    }
  }
  if (code === MARKETO_CODES.FILTER_NOT_SUPPORTED) {
    return {
      action: 'fail',
      error: new FilterNotSupportedError(
        `${text} (the request's filter is not available on this Marketo subscription: use another filter)`,
        code,
      ),
    };
  }
  // 1003 (bad request content) and anything we do not know.
  return { action: 'fail', error: new ProviderApiError(text, code) };
}

/** Classifies a non-2xx HTTP status of an API call (Marketo's own errors come as HTTP 200 bodies). */
export function classifyHttpStatus(status: number, what: string): RetryOrFail {
  const text = `Marketo ${what} answered HTTP ${status}`;
  if (status === 429) {
    return {
      action: 'retry',
      error: new RateLimitedError(text, RATE_LIMIT_WAIT_MS / 1000, 'http429'),
      minDelayMs: RATE_LIMIT_WAIT_MS,
      maybeProcessed: false,
    };
  }
  if (status >= 500)
    return { action: 'retry', error: new TransientApiError(text, `http${status}`), maybeProcessed: true };
  return { action: 'fail', error: new ProviderApiError(text, `http${status}`) };
}

// Connection failures that prove the request never left: repeating even a create is safe after these.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Classifies a transport failure (reset, timeout, refused); never includes the request URL. */
export function classifyTransportError(error: unknown, what: string, host?: string): RetryOrFail {
  const tls = tlsVerificationCode(error);
  if (tls)
    return {
      action: 'fail',
      error: new TlsVerificationError(`Marketo ${what}: the instance's TLS certificate was refused (${tls})`, {
        cause: error,
      }),
    };
  const code = errorCode(error);
  const text = `Marketo ${what} failed: ${host ? describeTransportFailure(error, host) : code}`;
  return {
    action: 'retry',
    error: new TransientApiError(text, 'reset', { cause: error }),
    maybeProcessed: !NOT_SENT_CODES.has(code),
  };
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return 'unknown transport error';
}
