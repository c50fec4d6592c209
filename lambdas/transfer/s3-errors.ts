// How an AWS SDK failure reads to the pipeline. The SDK has already retried (standard mode, 3
// attempts) by the time an error reaches us, so what is left is either worth a later retry by the
// state machine (TransientApiError) or a real refusal that passes through under its own name.
import { TransientApiError } from '#shared/errors';

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
}

function shape(err: unknown): SdkErrorShape {
  return typeof err === 'object' && err !== null ? (err as SdkErrorShape) : {};
}

export function httpStatusOf(err: unknown): number | undefined {
  const status = shape(err).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export function errorNameOf(err: unknown): string | undefined {
  const name = shape(err).name;
  return typeof name === 'string' ? name : undefined;
}

export function isNotFound(err: unknown): boolean {
  const name = errorNameOf(err);
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchUpload' || httpStatusOf(err) === 404;
}

export function isNoSuchUpload(err: unknown): boolean {
  return errorNameOf(err) === 'NoSuchUpload';
}

const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'ThrottlingException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'ConditionalRequestConflict',
]);

export function isTransient(err: unknown): boolean {
  const status = httpStatusOf(err);
  const name = errorNameOf(err);
  if (name !== undefined && TRANSIENT_NAMES.has(name)) return true;
  if (shape(err).$retryable) return true;
  if (status !== undefined) return status >= 500 || status === 429 || status === 409;
  // No HTTP answer at all: a socket reset, DNS failure or timeout on the way.
  return typeof shape(err).code === 'string';
}

/** Re-throws `err` as TransientApiError when a later attempt may succeed, else unchanged. */
export function rethrowS3Error(err: unknown, operation: string): never {
  if (isTransient(err)) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new TransientApiError(`S3 ${operation} failed: ${detail}`, errorNameOf(err), { cause: err });
  }
  throw err;
}
