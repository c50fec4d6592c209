// One HTTP exchange of a JSON call or a file download and what Marketo's answer means. Retries, the
// token and the call budget stay with MarketoApi's loop: an attempt only reports an Outcome, so the
// loop alone decides whether to go again.
import type { Readable } from 'node:stream';
import type { Pool } from 'undici';
import { FileNotReadyError, ProviderApiError, RangeMismatchError, TransientApiError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import { quoteProviderText } from '#shared/redact';
import { notDataReason } from '#shared/http/data-content-type';
import { firstHeader } from '#shared/http/header';
import type { FileResponse, JsonCall, JsonResult, Outcome } from './api-call';
import type { CallPermit } from './call-limiter';
import { EnvelopeSchema, type Envelope } from './envelope';
import { classifyHttpStatus, type Classified, type RetryOrFail } from './error-codes';

/** What an attempt borrows from the MarketoApi that makes it. */
export interface AttemptContext {
  readonly pool: Pool;
  readonly logger: Logger;
  /** A concurrency slot; `onWait` is told how long getting it took on the wall clock. */
  acquire(signal: AbortSignal | undefined, onWait?: (ms: number) => void): Promise<CallPermit>;
  classifyEnvelope(envelope: Envelope): Classified;
  transportFailure(error: unknown, what: string, signal: AbortSignal | undefined): RetryOrFail;
}

type Parsed =
  { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly outcome: RetryOrFail };

export function isJson(contentType: string | undefined): boolean {
  return /\bapplication\/(?:[\w.+-]*\+)?json\b/i.test(contentType ?? '');
}

/** A JSON API call: the `success:true` envelope, or what to do about its failure. */
export async function jsonAttempt(ctx: AttemptContext, call: JsonCall, token: string): Promise<Outcome<JsonResult>> {
  const what = `${call.kind} call`;
  const permit = await ctx.acquire(call.signal, call.onWait);
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  const started = Date.now();
  try {
    const response = await ctx.pool.request({
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
    ctx.logger.debug('marketo call', {
      kind: call.kind,
      path: call.path,
      status: response.statusCode,
      ms: Date.now() - started,
    });
    if (response.statusCode !== 200) return classifyHttpStatus(response.statusCode, what);
    const parsed = parseEnvelope(text, what);
    if (!parsed.ok) return parsed.outcome;
    const { envelope } = parsed;
    if (envelope.success) return { action: 'ok', value: { envelope, alreadyQueued: false } };
    const outcome = ctx.classifyEnvelope(envelope);
    if (outcome.action !== 'already-queued') return outcome;
    if (call.acceptAlreadyQueued) return { action: 'ok', value: { alreadyQueued: true } };
    return {
      action: 'fail',
      error: new ProviderApiError(`Marketo ${what}: unexpected "Job already queued"`, '1029'),
    };
  } catch (error) {
    return ctx.transportFailure(error, what, call.signal);
  } finally {
    permit.release();
  }
}

/**
 * GET of a bulk file with a Range header: the response once headers say it is the file (200 or 206,
 * not JSON). The body keeps the concurrency slot until it closes, so a retry can only come before.
 */
export async function fileAttempt(
  ctx: AttemptContext,
  path: string,
  range: string,
  signal: AbortSignal | undefined,
  token: string,
): Promise<Outcome<FileResponse>> {
  const what = 'file download';
  const permit = await ctx.acquire(signal);
  let handedOver = false;
  try {
    const response = await ctx.pool.request({
      path,
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, range },
      signal: signal ?? null,
    });
    permit.responded();
    const status = response.statusCode;
    const contentType = firstHeader(response.headers, 'content-type');
    ctx.logger.debug('marketo call', { kind: 'file', path, status, range });
    const notData = notDataReason(contentType);
    if ((status === 200 || status === 206) && notData && !isJson(contentType)) {
      await response.body.dump();
      return { action: 'fail', error: new TransientApiError(`Marketo ${what} ${notData}`, 'not-data') };
    }
    if ((status === 200 || status === 206) && !isJson(contentType)) {
      handedOver = true;
      return {
        action: 'ok',
        value: { statusCode: status, headers: response.headers, body: holdPermit(response.body, permit) },
      };
    }
    const text = status === 416 ? (await response.body.dump(), '') : await response.body.text();
    // An expired token makes the file endpoint answer an HTTP 200 error envelope instead of the file.
    if (isJson(contentType)) {
      const parsed = parseEnvelope(text, what);
      if (!parsed.ok) return parsed.outcome;
      if (!parsed.envelope.success) {
        const outcome = ctx.classifyEnvelope(parsed.envelope);
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
    return ctx.transportFailure(error, what, signal);
  } finally {
    if (!handedOver) permit.release();
  }
}

function parseEnvelope(text: string, what: string): Parsed {
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

function holdPermit(body: Readable, permit: CallPermit): Readable {
  body.once('close', () => permit.release());
  return body;
}
