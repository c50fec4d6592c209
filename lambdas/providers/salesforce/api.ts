// The one place that talks HTTP to the org: the OAuth 2.0 client credentials token (a new one, and the
// call sent once more, when a session ends: INVALID_SESSION_ID), bounded retries with full jitter on
// 5xx and dropped connections, and every other answer turned into a named error (error-codes.ts).
// The token goes only to the configured My Domain, never to a host an answer names.
import { Agent, request, type Dispatcher } from 'undici';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import type { Clock } from '#shared/clock';
import { AuthenticationError, PipelineError, ProviderApiError, TransientApiError } from '#shared/errors';
import { fullJitterMs } from '#shared/http/backoff';
import { DEFAULT_HTTP_TIMEOUTS, undiciTimeouts } from '#shared/http/timeouts';
import { describeTransportFailure } from '#shared/http/transport-failure';
import type { Logger } from '#shared/logger';
import { registerSecret } from '#shared/redact';
import { RETRY_POLICY } from '#shared/retry-policy';
import type { ProviderTelemetry } from '#providers/types';
import type { ParsedSalesforceCredentials } from './credentials';
import { errorOfFault, faultOf, isSessionExpired } from './error-codes';
import { TokenSchema } from './schemas';

export interface SalesforceApiDeps {
  readonly credentials: ParsedSalesforceCredentials;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry?: ProviderTelemetry;
  readonly dispatcher?: Dispatcher;
  /** Tries per call before a transient failure is handed to the workflow. @default RETRY_POLICY.providerCall.maxAttempts */
  readonly maxAttempts?: number;
  readonly random?: () => number;
}

export interface CallOptions {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the instance, starting with `/services/`. */
  readonly path: string;
  /** What the call is for, in metrics and messages (create, status, results, limits, …). */
  readonly kind: string;
  readonly json?: unknown;
  readonly gzip?: boolean;
  /**
   * Whether a 5xx or a dropped connection is sent again. Not for a job create: one that reached the org
   * may have made a job, and a second would spend another of the day's query jobs.
   */
  readonly retryTransient: boolean;
  readonly signal?: AbortSignal;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body, decompressed when the org sent it gzipped. */
  readonly body: Buffer;
}

export class SalesforceApi {
  readonly origin: URL;
  private readonly dispatcher: Dispatcher;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private token: string | undefined;
  /** Tokens fetched by this client (a refreshed session is the second), for logs and tests. */
  tokensIssued = 0;
  /** Milliseconds slept in this client's own retry backoffs: our wait, not the org's slowness. */
  waitedMs = 0;

  constructor(private readonly deps: SalesforceApiDeps) {
    this.origin = new URL(deps.credentials.instanceUrl);
    this.dispatcher = deps.dispatcher ?? new Agent(undiciTimeouts(DEFAULT_HTTP_TIMEOUTS));
    this.maxAttempts = deps.maxAttempts ?? RETRY_POLICY.providerCall.maxAttempts;
    this.random = deps.random ?? Math.random;
  }

  get apiVersion(): string {
    return this.deps.credentials.apiVersion;
  }

  /** `/services/data/v<version><rest>`. */
  dataPath(rest: string, version: string = this.apiVersion): string {
    return `/services/data/v${version}${rest}`;
  }

  async json<S extends z.ZodType>(options: CallOptions, schema: S): Promise<z.output<S>> {
    const res = await this.call(options);
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new ProviderApiError(`Salesforce ${options.kind}: the answer is not JSON`, 'unexpected-body');
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success)
      throw new ProviderApiError(
        `Salesforce ${options.kind}: unexpected answer (${checked.error.message.slice(0, 200)})`,
        'unexpected-body',
      );
    return checked.data;
  }

  /** One API call: a session that ended is renewed once; transient failures are retried with backoff. */
  async call(options: CallOptions): Promise<CallResult> {
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const token = await this.currentToken(options.signal);
        const res = await this.send(options, token);
        if (res.status < 300) return res;
        const fault = faultOf(res.status, res.body.toString('utf8'));
        if (isSessionExpired(fault) && !renewed) {
          renewed = true;
          this.deps.logger.info('salesforce session ended; fetching a new token', { kind: options.kind });
          this.token = undefined;
          attempt -= 1;
          continue;
        }
        throw errorOfFault(fault, `${options.method} ${options.kind}`, this.deps.clock.now());
      } catch (error) {
        const transient =
          error instanceof TransientApiError || (!(error instanceof PipelineError) && !options.signal?.aborted);
        if (!transient || !options.retryTransient || attempt >= this.maxAttempts) throw this.named(error, options);
        this.deps.telemetry?.retry(error instanceof TransientApiError ? (error.code ?? 'transient') : 'network');
        const pause = fullJitterMs(attempt, this.random);
        await this.deps.clock.sleep(pause, options.signal);
        this.waitedMs += pause;
      }
    }
  }

  private named(error: unknown, options: CallOptions): unknown {
    if (error instanceof PipelineError || options.signal?.aborted) return error;
    return new TransientApiError(
      `Salesforce ${options.method} ${options.kind}: ${describeTransportFailure(error, this.origin.host)}`,
      'network',
      { cause: error },
    );
  }

  private async send(options: CallOptions, token: string): Promise<CallResult> {
    this.deps.telemetry?.apiCall(options.kind, this.origin.host);
    const res = await request(new URL(options.path, this.origin), {
      method: options.method,
      dispatcher: this.dispatcher,
      headers: {
        authorization: `Bearer ${token}`,
        accept: options.gzip ? 'text/csv' : 'application/json',
        ...(options.gzip ? { 'accept-encoding': 'gzip' } : {}),
        ...(options.json !== undefined ? { 'content-type': 'application/json; charset=UTF-8' } : {}),
      },
      ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
    // "Sometimes" not compressed even when asked: the header, not the request, says which.
    const body = encoding === 'gzip' ? gunzipSync(raw) : raw;
    return { status: res.statusCode, headers: res.headers, body };
  }

  private async currentToken(signal?: AbortSignal): Promise<string> {
    this.token ??= await this.fetchToken(signal);
    return this.token;
  }

  /** OAuth 2.0 client credentials at the org's My Domain: a form POST, never credentials in a URL. */
  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const { clientId, clientSecret } = this.deps.credentials;
    this.deps.telemetry?.apiCall('token', this.origin.host);
    const res = await request(new URL('/services/oauth2/token', this.origin), {
      method: 'POST',
      dispatcher: this.dispatcher,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      ...(signal ? { signal } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) {
      const fault = faultOf(res.statusCode, text);
      const error = errorOfFault(fault, 'token', this.deps.clock.now());
      // A refused client is a person's job (the connected app, its secret, its Run As user).
      throw error instanceof TransientApiError ? error : new AuthenticationError(error.message);
    }
    const parsed = TokenSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new ProviderApiError('Salesforce token: answer without access_token', 'unexpected-body');
    registerSecret(parsed.data.access_token);
    if (parsed.data.signature) registerSecret(parsed.data.signature);
    this.tokensIssued += 1;
    return parsed.data.access_token;
  }

  async close(): Promise<void> {
    if (!this.deps.dispatcher) await this.dispatcher.close();
  }
}
