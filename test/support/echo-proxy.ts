// A hostile look-alike of a provider for canary tests: a reverse proxy on 127.0.0.1 in front of a
// simulator that fills placeholders in every answer with what the client sent, the way a careless or
// malicious server echoes credentials back in error bodies, failure messages and redirects:
//   {authorization}  the request's Authorization header (`Bearer <token>`)
//   {query}          the request's raw query string
//   {body}           the request's body (the Marketo token request's form carries the client secret)
// Faults of the simulator (injected error messages, failed tasks) carry the placeholders; `rewrite`
// may answer a request itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body: string;
}

export type Rewrite = (
  seen: SeenRequest,
) => { status: number; headers?: Record<string, string>; body: string } | undefined;

export interface EchoProxy {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** Every Authorization header value seen: the tokens in play. */
  readonly authorizations: Set<string>;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function fill(text: string, seen: SeenRequest): string {
  const query = seen.url.includes('?') ? seen.url.slice(seen.url.indexOf('?') + 1) : '';
  return text
    .replaceAll('{authorization}', seen.authorization ?? '')
    .replaceAll('{query}', query)
    .replaceAll('{body}', seen.body);
}

export async function startEchoProxy(targetOrigin: string, rewrite?: Rewrite): Promise<EchoProxy> {
  const authorizations = new Set<string>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      body,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    if (seen.authorization) authorizations.add(seen.authorization);
    const own = rewrite?.(seen);
    if (own) {
      const text = fill(own.body, seen);
      const headers = Object.fromEntries(Object.entries(own.headers ?? {}).map(([k, v]) => [k, fill(v, seen)]));
      res.writeHead(own.status, {
        'content-type': 'application/json',
        ...headers,
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k))
        headers[k] = v;
    }
    const answer = await request(`${targetOrigin}${seen.url}`, {
      method: seen.method as 'GET',
      headers,
      body: body === '' ? null : body,
    });
    const raw = Buffer.from(await answer.body.arrayBuffer());
    const contentType = String(answer.headers['content-type'] ?? '');
    // Text answers get their placeholders filled; file bytes pass untouched.
    const out = /json|text\/plain|html/.test(contentType) ? Buffer.from(fill(raw.toString('utf8'), seen)) : raw;
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers)) {
      if (typeof v === 'string' && !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k))
        outHeaders[k] = k === 'location' ? fill(v, seen) : v;
    }
    res.writeHead(answer.statusCode, { ...outHeaders, 'content-length': out.length });
    res.end(out);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    authorizations,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
