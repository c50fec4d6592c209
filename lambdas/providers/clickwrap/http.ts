// The one place that talks HTTP: Bearer only to the API origin, bounded retries on 429 (Retry-After)
// and on 5xx / connection failures, and error messages that keep a truncated raw body but never the
// token. Callers map the remaining statuses to named errors.
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Clock } from '#shared/clock';
import {
  AuthenticationError,
  ProviderApiError,
  RateLimitedError,
  TransientApiError,
  TlsVerificationError,
} from '#shared/errors';
import { fullJitterMs } from '#shared/http/backoff';
import { discardBody } from '#shared/http/discard-body';
import { redactUrl } from '#shared/http/redact-url';
import { quoteProviderText, registerSecret } from '#shared/redact';
import { DEFAULT_HTTP_TIMEOUTS, undiciTimeouts } from '#shared/http/timeouts';
import { describeTransportFailure, hostOf } from '#shared/http/transport-failure';
import { retryFits } from '#shared/http/call-budget';
import type { Logger } from '#shared/logger';
import { formatFieldPath, problemsOfError } from '#shared/validation';
import { parseRetryAfter } from './backoff';
import type { ProviderTelemetry } from '#providers/types';
import { sameOrigin } from './link-policy';
import { tlsVerificationCode } from '#shared/http/tls';

export type HttpResponse = Dispatcher.ResponseData;

export interface HttpDeps {
  readonly apiBaseUrl: URL;
  readonly apiToken: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dispatcher: Dispatcher;
  /** Tries per call, the first included, before a 429 or a transient failure is handed to the workflow. */
  readonly maxAttempts: number;
  readonly telemetry?: ProviderTelemetry;
}

export interface SendOptions {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Ask to send the token; it is sent only if the URL has the API's origin. */
  readonly withToken: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /**
   * Whether a 5xx or a dropped connection may be retried. Not for task creation: a request that
   * reached the API may have created a task, and the workflow's own retry is the visible one.
   */
  readonly retryTransient: boolean;
}

/** Keep-alive connections with explicit timeouts, one per provider instance. */
export function createDispatcher(): Dispatcher {
  return new Agent(undiciTimeouts(DEFAULT_HTTP_TIMEOUTS));
}

/** Reads at most a few KB of an error body, as text with the token blanked out and the length capped. */
export async function errorBodyText(body: Readable, token: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buf);
      length += buf.length;
      if (length >= 4096) break;
    }
  } catch {
    // A body that breaks off still tells us its first bytes.
  } finally {
    discardBody(body);
  }
  return redact(Buffer.concat(chunks).toString('utf8'), token);
}

/** Provider text fit for a message: the token (and everything else the redactor knows) blanked, length capped. */
export function redact(text: string, token: string): string {
  registerSecret(token);
  return quoteProviderText(text);
}

/**
 * Sends one request, retrying 429s (waiting at least Retry-After) and, when allowed, 5xx answers and
 * connection failures, up to maxAttempts. Returns the first other response (2xx, 3xx, other 4xx) for
 * the caller to map; throws RateLimitedError / TransientApiError when the attempts run out.
 */
export async function send(deps: HttpDeps, options: SendOptions): Promise<HttpResponse> {
  const shown = `${options.method} ${redactUrl(options.url)}`;
  const headers: Record<string, string> = { accept: '*/*', ...options.headers };
  // The token goes to the API origin only: a pre-signed link fails with an extra Authorization header,
  // and a foreign host must never see it.
  if (options.withToken && sameOrigin(options.url, deps.apiBaseUrl)) headers.authorization = `Bearer ${deps.apiToken}`;

  const startedMs = deps.clock.now().getTime();
  // A retry that could not end within the call's budget (should it time out) is not started.
  const outOfTime = (delayMs: number) =>
    !retryFits(deps.clock.now().getTime() - startedMs, delayMs, DEFAULT_HTTP_TIMEOUTS);
  for (let attempt = 0; ; attempt += 1) {
    const last = attempt + 1 >= deps.maxAttempts;
    let response: HttpResponse;
    // Links to a foreign host (pre-signed downloads) are calls too, but not against the API's limits.
    deps.telemetry?.apiCall(sameOrigin(options.url, deps.apiBaseUrl) ? options.method.toLowerCase() : 'link');
    try {
      response = await request(options.url, {
        method: options.method,
        headers,
        dispatcher: deps.dispatcher,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const tls = tlsVerificationCode(error);
      if (tls)
        throw new TlsVerificationError(`${shown}: the host's TLS certificate was refused (${tls})`, { cause: error });
      const reason = describeTransportFailure(error, hostOf(options.url));
      const delayMs = fullJitterMs(attempt + 1);
      if (!options.retryTransient || last || outOfTime(delayMs)) {
        throw new TransientApiError(`${shown} failed after ${attempt + 1} attempt(s): ${reason}`, 'network', {
          cause: error,
        });
      }
      deps.logger.warn('clickwrap request failed, retrying', { request: shown, attempt, reason });
      deps.telemetry?.retry('network');
      await deps.clock.sleep(delayMs, options.signal);
      continue;
    }

    const status = response.statusCode;
    if (status === 429) {
      const retryAfter = parseRetryAfter(response.headers['retry-after'], deps.clock.now());
      const body = await errorBodyText(response.body, deps.apiToken);
      const delayMs = Math.max(retryAfter * 1000, fullJitterMs(attempt + 1));
      if (last || outOfTime(delayMs)) {
        throw new RateLimitedError(
          `${shown} rate limited (HTTP 429) after ${attempt + 1} attempt(s): ${body}`,
          retryAfter,
          'HTTP 429',
        );
      }
      deps.logger.warn('clickwrap rate limited, waiting', { request: shown, attempt, retryAfterSeconds: retryAfter });
      deps.telemetry?.retry('http429');
      await deps.clock.sleep(delayMs, options.signal);
      continue;
    }
    if (status >= 500) {
      const body = await errorBodyText(response.body, deps.apiToken);
      const delayMs = fullJitterMs(attempt + 1);
      if (!options.retryTransient || last || outOfTime(delayMs)) {
        throw new TransientApiError(
          `${shown} answered HTTP ${status} after ${attempt + 1} attempt(s): ${body}`,
          `HTTP ${status}`,
        );
      }
      deps.logger.warn('clickwrap server error, retrying', { request: shown, attempt, status });
      deps.telemetry?.retry(`http${status}`);
      await deps.clock.sleep(delayMs, options.signal);
      continue;
    }
    deps.logger.debug('clickwrap response', { request: shown, status, attempt });
    return response;
  }
}

/** Maps a non-2xx API answer (after retries) to a named error carrying the truncated raw body. */
export async function apiError(deps: HttpDeps, response: HttpResponse, what: string): Promise<Error> {
  const status = response.statusCode;
  const body = await errorBodyText(response.body, deps.apiToken);
  if (status === 401 || status === 403) {
    return new AuthenticationError(`${what}: HTTP ${status}, the API token was rejected or lacks access: ${body}`);
  }
  return new ProviderApiError(`${what}: HTTP ${status}: ${body}`, `HTTP ${status}`);
}

/** Calls the API (with the token) and parses the 2xx JSON body with `schema`. */
export async function callJson<S extends z.ZodType>(
  deps: HttpDeps,
  method: 'GET' | 'POST',
  url: URL,
  schema: S,
  what: string,
  signal?: AbortSignal,
): Promise<z.infer<S>> {
  const response = await send(deps, {
    method,
    url,
    withToken: true,
    retryTransient: method === 'GET',
    ...(signal ? { signal } : {}),
  });
  if (response.statusCode < 200 || response.statusCode >= 300) throw await apiError(deps, response, what);
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ProviderApiError(
      `${what}: HTTP ${response.statusCode} answered a body that is not JSON: ${redact(text, deps.apiToken)}`,
      'not-json',
      { cause: err },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problem = problemsOfError(parsed.error)[0];
    throw new ProviderApiError(
      `${what}: unexpected answer (${problem ? `${formatFieldPath(problem.path) || '<root>'}: ${problem.message}` : 'invalid'}): ${redact(text, deps.apiToken)}`,
      'unexpected-body',
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
