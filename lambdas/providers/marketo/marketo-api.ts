// The HTTP layer for one Marketo instance: a keep-alive undici Pool with explicit timeouts, the
// client-credentials token (cached, refreshed once on 601/602), the call limiter, the error envelope
// and bounded retries. Everything above it (bulk jobs, the provider) speaks in named errors only.
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { wallClockOf, type Clock } from '#shared/clock';
import {
  AuthenticationError,
  FileNotReadyError,
  ProviderApiError,
  RangeMismatchError,
  TransientApiError,
  type PipelineError,
} from '#shared/errors';
import type { Logger } from '#shared/logger';
import { quoteProviderText, registerSecret } from '#shared/redact';
import { DEFAULT_BACKOFF, fullJitterMs, type BackoffPolicy } from '#shared/http/backoff';
import { firstHeader } from '#shared/http/header';
import { DEFAULT_HTTP_TIMEOUTS, undiciTimeouts, type HttpTimeouts } from '#shared/http/timeouts';
import { hostOf } from '#shared/http/transport-failure';
import { retryFits } from '#shared/http/call-budget';
import { RETRY_POLICY } from '#shared/retry-policy';
import { queueFullWaitSeconds, rateLimitWaitMs } from './backoff';
import { sharedCallLimiter, type CallLimiter, type CallPermit } from './call-limiter';
import type { CallBudgetLedger, ProviderTelemetry } from '#providers/types';
import { InstanceCallBudget } from './call-budget';
import type { MarketoCredentials } from './credentials';
import { EnvelopeSchema, TokenResponseSchema, type Envelope } from './envelope';
import {
  classifyHttpStatus,
  classifyMarketoError,
  classifyTransportError,
  type Classified,
  type RetryOrFail,
} from './error-codes';
import { notDataReason } from '#shared/http/data-content-type';

/** A retry's reason for the metrics: the error's code (a Marketo code, http503, network…) or its name. */
function retryReason(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.length > 0 ? code : error.name;
}

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
  | 'deletedleads';

export interface MarketoApiOptions {
  readonly credentials: MarketoCredentials;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Source of jitter. @default Math.random */
  readonly random?: () => number;
  /** Attempts per call for retryable failures before the named error is thrown. @default RETRY_POLICY.providerCall.maxAttempts */
  readonly maxAttempts?: number;
  /** Default: one limiter per instance per process (see sharedCallLimiter). */
  readonly limiter?: CallLimiter;
  readonly timeouts?: Partial<HttpTimeouts>;
  /** One call's attempts and pauses together (shared/http/call-budget.ts). @default CALL_BUDGET_MS */
  readonly callBudgetMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly telemetry?: ProviderTelemetry;
  /** The shared ledger the connection's dailyCallBudget is kept in (unset, or no budget: no cap of ours). */
  readonly callBudget?: CallBudgetLedger;
}

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

type Outcome<T> = { readonly action: 'ok'; readonly value: T } | Exclude<Classified, { action: 'already-queued' }>;
type Parsed =
  { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly outcome: RetryOrFail };

interface CachedToken {
  readonly value: string;
  readonly refreshAtMs: number;
}

const TOKEN_PATH = '/identity/oauth/token';

function isJson(contentType: string | undefined): boolean {
  return /\bapplication\/(?:[\w.+-]*\+)?json\b/i.test(contentType ?? '');
}

export class MarketoApi {
  private readonly pool: Pool;
  private readonly limiter: CallLimiter;
  private readonly timeouts: HttpTimeouts;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private token?: CachedToken;
  /** The instance's host: its limits (the daily call quota among them) are shared by every caller. */
  private readonly instance: string;
  private readonly budget?: InstanceCallBudget;
  private tokenInFlight?: Promise<string>;

  constructor(private readonly options: MarketoApiOptions) {
    this.timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
    this.random = options.random ?? Math.random;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? RETRY_POLICY.providerCall.maxAttempts);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.limiter = options.limiter ?? sharedCallLimiter(options.clock, options.credentials.baseUrl);
    this.instance = new URL(options.credentials.baseUrl).host;
    const { dailyCallBudget } = options.credentials;
    if (dailyCallBudget !== undefined && options.callBudget)
      this.budget = new InstanceCallBudget(options.callBudget, this.instance, dailyCallBudget, options.clock);
    this.pool = new Pool(options.credentials.baseUrl, {
      connections: this.limiter.limits.concurrent,
      ...undiciTimeouts(this.timeouts),
    });
  }

  get baseUrl(): string {
    return this.options.credentials.baseUrl;
  }

  /** Seconds a QueueFullError tells its caller to wait (jittered). */
  queueFullRetryAfterSeconds(): number {
    return queueFullWaitSeconds(this.random);
  }

  /** Sleeps through the injected clock. */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    await this.options.clock.sleep(ms, signal);
  }

  backoffMs(retry: number): number {
    return fullJitterMs(retry, this.random, this.backoff);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** A JSON API call: resolves with the `success:true` envelope, or throws a named error. */
  async json(call: JsonCall): Promise<JsonResult> {
    const what = `${call.kind} call`;
    return this.run<JsonResult>(
      call.kind,
      call.signal,
      call.ambiguousFailures ?? 'retry',
      call.onWait,
      async (token) => {
        const permit = await this.waited(call.onWait, () => this.limiter.acquire(call.signal));
        const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
        const started = Date.now();
        try {
          const response = await this.pool.request({
            path: `${call.path}${query}`,
            method: call.method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: call.body === undefined ? null : JSON.stringify(call.body),
            signal: call.signal ?? null,
          });
          permit.responded();
          const text = await response.body.text();
          this.options.logger.debug('marketo call', {
            kind: call.kind,
            path: call.path,
            status: response.statusCode,
            ms: Date.now() - started,
          });
          if (response.statusCode !== 200) return classifyHttpStatus(response.statusCode, what);
          const parsed = this.parseEnvelope(text, what);
          if (!parsed.ok) return parsed.outcome;
          const { envelope } = parsed;
          if (envelope.success) return { action: 'ok', value: { envelope, alreadyQueued: false } };
          const outcome = this.classifyEnvelope(envelope);
          if (outcome.action !== 'already-queued') return outcome;
          if (call.acceptAlreadyQueued) return { action: 'ok', value: { alreadyQueued: true } };
          return {
            action: 'fail',
            error: new ProviderApiError(`Marketo ${what}: unexpected "Job already queued"`, '1029'),
          };
        } catch (error) {
          return this.transportFailure(error, what, call.signal);
        } finally {
          permit.release();
        }
      },
    );
  }

  /**
   * GET of a bulk file with a Range header. Resolves with the response once headers say it is the
   * file (200 or 206, not JSON); retries transient failures, but only until the body is handed over.
   */
  async file(path: string, range: string, signal?: AbortSignal): Promise<FileResponse> {
    const what = 'file download';
    return this.run<FileResponse>('file', signal, 'retry', undefined, async (token) => {
      const permit = await this.limiter.acquire(signal);
      let handedOver = false;
      try {
        const response = await this.pool.request({
          path,
          method: 'GET',
          headers: { authorization: `Bearer ${token}`, range },
          signal: signal ?? null,
        });
        permit.responded();
        const status = response.statusCode;
        const contentType = firstHeader(response.headers, 'content-type');
        this.options.logger.debug('marketo call', { kind: 'file', path, status, range });
        const notData = notDataReason(contentType);
        if ((status === 200 || status === 206) && notData && !isJson(contentType)) {
          await response.body.dump();
          return { action: 'fail', error: new TransientApiError(`Marketo ${what} ${notData}`, 'not-data') };
        }
        if ((status === 200 || status === 206) && !isJson(contentType)) {
          handedOver = true;
          return {
            action: 'ok',
            value: { statusCode: status, headers: response.headers, body: this.holdPermit(response.body, permit) },
          };
        }
        const text = status === 416 ? (await response.body.dump(), '') : await response.body.text();
        // An expired token makes the file endpoint answer an HTTP 200 error envelope instead of the file.
        if (isJson(contentType)) {
          const parsed = this.parseEnvelope(text, what);
          if (!parsed.ok) return parsed.outcome;
          if (!parsed.envelope.success) {
            const outcome = this.classifyEnvelope(parsed.envelope);
            if (outcome.action !== 'already-queued') return outcome;
          }
          if (status === 200 || status === 206) {
            return { action: 'fail', error: new ProviderApiError(`Marketo ${what} answered JSON instead of the file`) };
          }
        }
        if (status === 404) {
          return {
            action: 'fail',
            error: new FileNotReadyError(`Marketo file ${path} is not ready (HTTP 404: ${quoteProviderText(text)})`),
          };
        }
        if (status === 416) {
          const contentRange = quoteProviderText(firstHeader(response.headers, 'content-range') ?? 'none', 80);
          return {
            action: 'fail',
            error: new RangeMismatchError(
              `Marketo file ${path}: range ${range} not satisfiable (HTTP 416, Content-Range ${contentRange})`,
            ),
          };
        }
        return classifyHttpStatus(status, what);
      } catch (error) {
        return this.transportFailure(error, what, signal);
      } finally {
        if (!handedOver) permit.release();
      }
    });
  }

  /** The bearer token, from cache until shortly before it expires. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const cached = this.token;
    if (cached && this.options.clock.now().getTime() < cached.refreshAtMs) return cached.value;
    this.tokenInFlight ??= this.fetchToken(signal).finally(() => {
      this.tokenInFlight = undefined;
    });
    return this.tokenInFlight;
  }

  private dropToken(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const { clientId, clientSecret } = this.options.credentials;
    const what = 'identity (token) call';
    return this.run<string>('token', signal, 'retry', undefined, async () => {
      const permit = await this.limiter.acquire(signal);
      try {
        // Credentials go in a form body, never the URL: a query string lands in proxy and access logs.
        const form = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        });
        const response = await this.pool.request({
          path: TOKEN_PATH,
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: signal ?? null,
        });
        permit.responded();
        const text = await response.body.text();
        this.options.logger.debug('marketo call', { kind: 'token', status: response.statusCode });
        if (response.statusCode === 400 || response.statusCode === 401 || response.statusCode === 403) {
          return {
            action: 'fail',
            error: new AuthenticationError(
              `Marketo identity rejected the client credentials (HTTP ${response.statusCode}${this.describeIdentityError(text)})`,
            ),
          };
        }
        if (response.statusCode !== 200) return classifyHttpStatus(response.statusCode, what);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (err) {
          return {
            action: 'retry',
            error: new TransientApiError(`Marketo ${what} answered a body that is not JSON`, 'not-json', {
              cause: err,
            }),
            maybeProcessed: false,
          };
        }
        const token = TokenResponseSchema.safeParse(body);
        if (token.success) {
          registerSecret(token.data.access_token);
          const now = this.options.clock.now().getTime();
          const lifeMs = token.data.expires_in * 1000;
          // Refresh a little early (a minute, or a quarter of a short life) so no call carries a dying token.
          this.token = { value: token.data.access_token, refreshAtMs: now + lifeMs - Math.min(60_000, lifeMs / 4) };
          return { action: 'ok', value: token.data.access_token };
        }
        const envelope = EnvelopeSchema.safeParse(body);
        if (envelope.success && !envelope.data.success) {
          const outcome = this.classifyEnvelope(envelope.data);
          if (outcome.action === 'retry' || outcome.action === 'fail') return outcome;
        }
        return { action: 'fail', error: new AuthenticationError(`Marketo ${what} answered without an access token`) };
      } catch (error) {
        return this.transportFailure(error, what, signal);
      } finally {
        permit.release();
      }
    });
  }

  private describeIdentityError(text: string): string {
    try {
      const parsed = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      const parts = [parsed.error, parsed.error_description].filter((p): p is string => typeof p === 'string');
      const description = quoteProviderText(parts.join(': '));
      return description ? `: ${description}` : '';
    } catch {
      return '';
    }
  }

  /** Runs `wait`, telling `onWait` how long it took on the wall clock (what the rate guard measures with). */
  private async waited<T>(onWait: ((ms: number) => void) | undefined, wait: () => Promise<T>): Promise<T> {
    if (!onWait) return wait();
    const clock = wallClockOf(this.options.clock);
    const from = clock.now().getTime();
    try {
      return await wait();
    } finally {
      onWait(clock.now().getTime() - from);
    }
  }

  private async run<T>(
    kind: CallKind,
    signal: AbortSignal | undefined,
    ambiguous: 'retry' | 'report',
    onWait: ((ms: number) => void) | undefined,
    attempt: (token: string) => Promise<Outcome<T>>,
  ): Promise<T> {
    let tokenRefreshed = false;
    const startedMs = this.options.clock.now().getTime();
    for (let attemptNo = 1; ; attemptNo += 1) {
      const token = kind === 'token' ? '' : await this.accessToken(signal);
      // Token requests are not REST calls: Marketo's daily quota (and so our share of it) leaves them out.
      if (kind !== 'token') await this.budget?.take();
      this.options.telemetry?.apiCall(kind, this.instance);
      const outcome = await attempt(token);
      switch (outcome.action) {
        case 'ok':
          return outcome.value;
        case 'fail':
          throw outcome.error;
        case 'refresh-token':
          if (tokenRefreshed || kind === 'token') {
            throw new AuthenticationError(
              `Marketo refused a freshly issued access token (${quoteProviderText(outcome.code, 40)}: ${outcome.message})`,
            );
          }
          tokenRefreshed = true;
          this.dropToken(token);
          attemptNo -= 1; // the token retry is extra, not one of the bounded attempts
          this.options.logger.info('marketo token refresh', { kind, code: outcome.code });
          this.options.telemetry?.retry(`token-${outcome.code}`);
          continue;
        case 'retry': {
          if (ambiguous === 'report' && outcome.maybeProcessed) throw new OutcomeUnknownError(outcome.error);
          if (attemptNo >= this.maxAttempts) throw outcome.error;
          const delayMs =
            outcome.minDelayMs !== undefined
              ? Math.max(outcome.minDelayMs, rateLimitWaitMs(this.random))
              : this.backoffMs(attemptNo);
          if (
            !retryFits(
              this.options.clock.now().getTime() - startedMs,
              delayMs,
              this.timeouts,
              this.options.callBudgetMs,
            )
          ) {
            this.options.logger.warn('marketo call out of time for another attempt', {
              kind,
              attempt: attemptNo,
              error: outcome.error.name,
            });
            throw outcome.error;
          }
          this.options.logger.warn('marketo call retry', {
            kind,
            error: outcome.error.name,
            message: outcome.error.message,
            attempt: attemptNo,
            delayMs,
          });
          this.options.telemetry?.retry(retryReason(outcome.error));
          await this.waited(onWait, () => this.wait(delayMs, signal));
        }
      }
    }
  }

  private parseEnvelope(text: string, what: string): Parsed {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      // A proxy or maintenance page in front of Marketo: worth another try.
      return {
        ok: false,
        outcome: {
          action: 'retry',
          error: new TransientApiError(`Marketo ${what} answered a body that is not JSON`, 'not-json', { cause: err }),
          maybeProcessed: true,
        },
      };
    }
    const parsed = EnvelopeSchema.safeParse(body);
    if (!parsed.success)
      return {
        ok: false,
        outcome: { action: 'fail', error: new ProviderApiError(`Marketo ${what} answered an unexpected body`) },
      };
    return { ok: true, envelope: parsed.data };
  }

  private classifyEnvelope(envelope: Envelope): Classified {
    const first = envelope.errors?.[0] ?? { code: 'unknown', message: 'success:false without errors' };
    return classifyMarketoError(first.code, first.message, this.options.clock.now(), this.queueFullRetryAfterSeconds());
  }

  private transportFailure(error: unknown, what: string, signal: AbortSignal | undefined): RetryOrFail {
    if (signal?.aborted) throw signal.reason ?? error;
    if (error instanceof OutcomeUnknownError) throw error;
    return classifyTransportError(error, what, hostOf(this.options.credentials.baseUrl));
  }

  private holdPermit(body: Readable, permit: CallPermit): Readable {
    body.once('close', () => permit.release());
    return body;
  }
}
