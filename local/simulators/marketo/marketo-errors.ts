// Marketo's response-level error codes with the messages the real API sends (Adobe's error-code
// reference). Injected faults use these when a test gives no message of its own.

export const MARKETO_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  '601': 'Access token invalid',
  '602': 'Access token expired',
  '603': 'Access denied',
  '604': 'Request timed out',
  '605': 'HTTP Method not supported',
  '606': "Max rate limit '100' exceeded with in '20' secs",
  '607': 'Daily quota reached',
  '608': 'API Temporarily Unavailable',
  '609': 'Invalid JSON',
  '610': 'Requested resource not found',
  '611': 'System error',
  '612': 'Invalid Content Type',
  '615': 'Concurrent access limit reached',
  '702': 'No data found for given search scenario',
  '709': 'Business rule violation',
  '713': 'Transient Error',
  '1003': 'Invalid value',
  '1013': 'Object not found',
  '1029': 'Too many jobs in queue',
  '1035': 'Unsupported filter type for target subscription',
};

export const TOO_MANY_JOBS = 'Too many jobs in queue';
export const JOB_ALREADY_QUEUED = 'Job already queued';

/** Marketo states the quota in whole MB, e.g. "Export daily quota 500MB exceeded". */
export function exportQuotaExceededMessage(quotaBytes: number): string {
  return `Export daily quota ${Math.floor(quotaBytes / (1024 * 1024))}MB exceeded`;
}

export function rateLimitMessage(calls: number, windowMs: number): string {
  return `Max rate limit '${calls}' exceeded with in '${Math.round(windowMs / 1000)}' secs`;
}

export function defaultMessage(code: string): string {
  return MARKETO_ERROR_MESSAGES[code] ?? 'Unknown error';
}

/** An answer the simulator gives as `{success:false, errors:[…]}` with HTTP 200. */
export class MarketoApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string = defaultMessage(code),
  ) {
    super(message);
  }
}
