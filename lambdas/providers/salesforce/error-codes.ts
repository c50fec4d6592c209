// Salesforce REST errors (`[{"errorCode","message"}]`, or OAuth's `{"error","error_description"}`)
// → the pipeline's named errors, whose policy (retried, deferred, fatal) is ERROR_POLICY's. One table
// per status and code, so a code met anywhere (create, poll, results, abort) means the same.
import { z } from 'zod';
import type { PipelineError } from '#shared/errors';
import {
  AuthenticationError,
  ProviderApiError,
  QuotaExceededError,
  RateLimitedError,
  TransientApiError,
  ValidationError,
} from '#shared/errors';
import { quoteProviderText } from '#shared/redact';
import { LIMIT_RECHECK_MINUTES } from './constants';

const ErrorArraySchema = z.array(z.looseObject({ errorCode: z.string().optional(), message: z.string().optional() }));
const OAuthErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

export interface SalesforceFault {
  readonly status: number;
  readonly errorCode: string;
  readonly message: string;
}

/** The first error of a body, whatever its shape; `errorCode` is `http<status>` when the body names none. */
export function faultOf(status: number, body: string): SalesforceFault {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { status, errorCode: `http${status}`, message: quoteProviderText(body) };
  }
  const list = ErrorArraySchema.safeParse(json);
  const first = list.success ? list.data[0] : undefined;
  if (first) return { status, errorCode: first.errorCode ?? `http${status}`, message: first.message ?? '' };
  const oauth = OAuthErrorSchema.safeParse(json);
  if (oauth.success) return { status, errorCode: oauth.data.error, message: oauth.data.error_description ?? '' };
  return { status, errorCode: `http${status}`, message: quoteProviderText(body) };
}

/** Rolling 24 h limits free nothing at a known instant: look again after a while. */
export function limitRecheckInstant(now: Date): string {
  return new Date(now.getTime() + LIMIT_RECHECK_MINUTES * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A daily limit message (jobs, result storage, API requests) as opposed to a burst of concurrent calls. */
const DAILY_LIMIT = /per 24 hrs|TotalRequests Limit/i;
/** Seconds a burst of long concurrent calls (the same REQUEST_LIMIT_EXCEEDED code) is given to clear. */
const CONCURRENT_LIMIT_WAIT_SECONDS = 30;

/** Whether this fault is a session that ended: get a new token and send the call once more. */
export function isSessionExpired(fault: SalesforceFault): boolean {
  return fault.status === 401 || fault.errorCode === 'INVALID_SESSION_ID';
}

/** The named error for a fault met on `what` (e.g. `POST jobs/query`). */
export function errorOfFault(fault: SalesforceFault, what: string, now: Date): PipelineError {
  const text = `Salesforce ${what}: ${fault.status} ${fault.errorCode} ${quoteProviderText(fault.message)}`.trim();
  const code = fault.errorCode;
  if (code === 'LIMIT_EXCEEDED' || (code === 'REQUEST_LIMIT_EXCEEDED' && DAILY_LIMIT.test(fault.message)))
    return new QuotaExceededError(text, limitRecheckInstant(now), code);
  if (code === 'REQUEST_LIMIT_EXCEEDED') return new RateLimitedError(text, CONCURRENT_LIMIT_WAIT_SECONDS, code);
  if (fault.status >= 500 || fault.status === 429 || fault.status === 408) return new TransientApiError(text, code);
  if (isSessionExpired(fault) || code === 'invalid_client' || code === 'invalid_grant')
    return new AuthenticationError(text);
  if (code === 'API_DISABLED_FOR_ORG' || code === 'INSUFFICIENT_ACCESS' || fault.status === 403)
    return new AuthenticationError(text);
  // The query was refused as written: the export's request must change (field, object, SOQL).
  if (code === 'INVALID_FIELD' || code === 'INVALIDENTITY' || code === 'INVALID_TYPE')
    return new ValidationError('request', text);
  if (code === 'MALFORMED_QUERY' || /compound data not supported/i.test(fault.message))
    return new ValidationError('request.fields', text);
  return new ProviderApiError(text, code);
}
