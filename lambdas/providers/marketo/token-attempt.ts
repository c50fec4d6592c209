// One request for the client-credentials token and what identity's answer means. MarketoApi caches the
// token and runs this through the same retry loop as every call.
import { AuthenticationError, TransientApiError } from '#shared/errors';
import type { Clock } from '#shared/clock';
import { quoteProviderText, registerSecret } from '#shared/redact';
import type { Outcome } from './api-call';
import type { AttemptContext } from './call-attempts';
import type { MarketoCredentials } from './credentials';
import { EnvelopeSchema, TokenResponseSchema } from './envelope';
import { classifyHttpStatus } from './error-codes';

export interface CachedToken {
  readonly value: string;
  readonly refreshAtMs: number;
}

const TOKEN_PATH = '/identity/oauth/token';

export async function tokenAttempt(
  ctx: AttemptContext,
  credentials: MarketoCredentials,
  clock: Clock,
  signal: AbortSignal | undefined,
): Promise<Outcome<CachedToken>> {
  const { clientId, clientSecret } = credentials;
  const what = 'identity (token) call';
  const permit = await ctx.acquire(signal);
  try {
    // Credentials go in a form body, never the URL: a query string lands in proxy and access logs.
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const response = await ctx.pool.request({
      path: TOKEN_PATH,
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: signal ?? null,
    });
    permit.responded();
    const text = await response.body.text();
    ctx.logger.debug('marketo call', { kind: 'token', status: response.statusCode });
    if (response.statusCode === 400 || response.statusCode === 401 || response.statusCode === 403) {
      return {
        action: 'fail',
        error: new AuthenticationError(
          `Marketo identity rejected the client credentials (HTTP ${response.statusCode}${describeIdentityError(text)})`,
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
      const now = clock.now().getTime();
      const lifeMs = token.data.expires_in * 1000;
      // Refresh a little early (a minute, or a quarter of a short life) so no call carries a dying token.
      return {
        action: 'ok',
        value: { value: token.data.access_token, refreshAtMs: now + lifeMs - Math.min(60_000, lifeMs / 4) },
      };
    }
    const envelope = EnvelopeSchema.safeParse(body);
    if (envelope.success && !envelope.data.success) {
      const outcome = ctx.classifyEnvelope(envelope.data);
      if (outcome.action === 'retry' || outcome.action === 'fail') return outcome;
    }
    return { action: 'fail', error: new AuthenticationError(`Marketo ${what} answered without an access token`) };
  } catch (error) {
    return ctx.transportFailure(error, what, signal);
  } finally {
    permit.release();
  }
}

function describeIdentityError(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const parts = [parsed.error, parsed.error_description].filter((p): p is string => typeof p === 'string');
    const description = quoteProviderText(parts.join(': '));
    return description ? `: ${description}` : '';
  } catch {
    return '';
  }
}
