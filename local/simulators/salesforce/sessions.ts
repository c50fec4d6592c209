// OAuth 2.0 client credentials: `grant_type=client_credentials` with the client id and secret in the
// form body or as HTTP Basic. No refresh token and no `expires_in`, as Salesforce: a session lives
// until `sessionTimeoutMs` of inactivity, then every call answers INVALID_SESSION_ID.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SalesforceSimState } from './state';

export function issueToken(
  state: SalesforceSimState,
  headers: IncomingHttpHeaders,
  body: string,
): { status: number; body: unknown } {
  if (!/^application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '')) {
    return { status: 400, body: { error: 'invalid_request', error_description: 'invalid content type' } };
  }
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') {
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
  }
  let id = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic (.+)$/i.exec(headers.authorization ?? '');
  if (basic?.[1]) [id = null, secret = null] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
  if (id !== state.options.clientId || secret !== state.options.clientSecret) {
    return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
  }
  const token = `00Dsim!${randomBytes(24).toString('base64url')}`;
  const now = state.now().getTime();
  state.sessions.set(token, { token, lastUsedMs: now, revoked: false });
  return {
    status: 200,
    body: {
      access_token: token,
      signature: randomBytes(16).toString('base64'),
      scope: 'api',
      instance_url: state.origin,
      id: `${state.origin}/id/00D000000000001AAA/005000000000001AAA`,
      token_type: 'Bearer',
      issued_at: String(now),
    },
  };
}

/** Whether the Authorization header carries a live session; a use resets its inactivity timer. */
export function liveSession(state: SalesforceSimState, authorization: string | undefined): boolean {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  const session = token ? state.sessions.get(token) : undefined;
  const now = state.now().getTime();
  if (!session || session.revoked || now - session.lastUsedMs > state.options.sessionTimeoutMs) return false;
  session.lastUsedMs = now;
  return true;
}
