// The HTTP layer for one Marketo instance: a keep-alive undici Pool with explicit timeouts, the
// client-credentials token (cached, refreshed once on 601/602), the call limiter, the daily call budget
// and bounded retries; one attempt's exchange and its reading are in call-attempts.ts and
// token-attempt.ts. Everything above it (bulk jobs, the provider) speaks in named errors only.
import { Pool } from 'undici';
import { wallClockOf, type Clock } from '#shared/clock';
import { AuthenticationError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import { quoteProviderText } from '#shared/redact';
import { DEFAULT_BACKOFF, fullJitterMs, type BackoffPolicy } from '#shared/http/backoff';
import { DEFAULT_HTTP_TIMEOUTS, undiciTimeouts, type HttpTimeouts } from '#shared/http/timeouts';
import { hostOf } from '#shared/http/transport-failure';
import { retryFits } from '#shared/http/call-budget';
import { RETRY_POLICY } from '#shared/retry-policy';
import type { CallBudgetLedger, ProviderTelemetry } from '#providers/types';
import {
  OutcomeUnknownError,
  type CallKind,
  type FileResponse,
  type JsonCall,
  type JsonResult,
  type Outcome,
} from './api-call';
import { queueFullWaitSeconds, rateLimitWaitMs } from './backoff';
import { InstanceCallBudget } from './call-budget';
import { fileAttempt, jsonAttempt, type AttemptContext } from './call-attempts';
import { sharedCallLimiter, type CallLimiter } from './call-limiter';
import type { MarketoCredentials } from './credentials';
import type { Envelope } from './envelope';
import { classifyMarketoError, classifyTransportError, type Classified, type RetryOrFail } from './error-codes';
import { tokenAttempt, type CachedToken } from './token-attempt';

/** A retry's reason for the metrics: the error's code (a Marketo code, http503, network…) or its name. */
function retryReason(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.length > 0 ? code : error.name;
}

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
  private readonly attempts: AttemptContext;

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
    this.attempts = {
      pool: this.pool,
      logger: options.logger,
      acquire: (signal, onWait) => this.waited(onWait, () => this.limiter.acquire(signal)),
      classifyEnvelope: (envelope) => this.classifyEnvelope(envelope),
      transportFailure: (error, what, signal) => this.transportFailure(error, what, signal),
    };
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
    return this.run<JsonResult>(call.kind, call.signal, call.ambiguousFailures ?? 'retry', call.onWait, (token) =>
      jsonAttempt(this.attempts, call, token),
    );
  }

  /**
   * GET of a bulk file with a Range header. Resolves with the response once headers say it is the
   * file (200 or 206, not JSON); retries transient failures, but only until the body is handed over.
   */
  async file(path: string, range: string, signal?: AbortSignal): Promise<FileResponse> {
    return this.run<FileResponse>('file', signal, 'retry', undefined, (token) =>
      fileAttempt(this.attempts, path, range, signal, token),
    );
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
    const token = await this.run<CachedToken>('token', signal, 'retry', undefined, () =>
      tokenAttempt(this.attempts, this.options.credentials, this.options.clock, signal),
    );
    this.token = token;
    return token.value;
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

  private classifyEnvelope(envelope: Envelope): Classified {
    const first = envelope.errors?.[0] ?? { code: 'unknown', message: 'success:false without errors' };
    return classifyMarketoError(first.code, first.message, this.options.clock.now(), this.queueFullRetryAfterSeconds());
  }

  private transportFailure(error: unknown, what: string, signal: AbortSignal | undefined): RetryOrFail {
    if (signal?.aborted) throw signal.reason ?? error;
    if (error instanceof OutcomeUnknownError) throw error;
    return classifyTransportError(error, what, hostOf(this.options.credentials.baseUrl));
  }
}
