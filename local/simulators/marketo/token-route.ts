// The identity route: the only one that answers OAuth-style JSON rather than a Marketo envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './envelope';
import { readBody } from './http-request';
import type { ServerContext } from './server-context';

const CREDENTIAL_QUERY_PARAMS = ['client_id', 'client_secret', 'grant_type', 'access_token'];

/**
 * Client credentials only as an application/x-www-form-urlencoded POST body. Marketo also takes them
 * in a GET query string; the simulator refuses that (400 invalid_request) so a client that would leak
 * the secret into proxy and access logs fails its tests.
 */
export async function issueToken(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (CREDENTIAL_QUERY_PARAMS.some((name) => url.searchParams.has(name))) {
    return sendJson(res, 400, {
      error: 'invalid_request',
      error_description: 'Client credentials must be sent in the request body, not the URL',
    });
  }
  if (req.method !== 'POST')
    return sendJson(res, 405, { error: 'invalid_request', error_description: 'Method not allowed' });
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
    return sendJson(res, 400, {
      error: 'invalid_request',
      error_description: 'Content-Type must be application/x-www-form-urlencoded',
    });
  }
  const q = new URLSearchParams(await readBody(req));
  if (q.get('grant_type') !== 'client_credentials') {
    return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' });
  }
  if (q.get('client_id') !== ctx.clientId || q.get('client_secret') !== ctx.clientSecret) {
    return sendJson(res, 401, { error: 'unauthorized', error_description: 'Bad client credentials' });
  }
  const { token, expiresIn } = ctx.tokens.issue();
  sendJson(res, 200, {
    access_token: token,
    token_type: 'bearer',
    expires_in: expiresIn,
    scope: 'apiuser@sim.example.com',
  });
}
