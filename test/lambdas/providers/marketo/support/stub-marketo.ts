// A programmable HTTP server for the few Marketo answers the simulator does not produce on demand
// (a wrong Content-Range, the "Canceled" spelling, a create whose response is lost after the job was
// made…). Real HTTP on 127.0.0.1, port 0: the client under test runs unmodified against it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type StubHandler = (request: StubRequest, response: ServerResponse) => void | Promise<void>;

export interface StubMarketo {
  readonly baseUrl: string;
  readonly calls: StubRequest[];
  /** Route key: `${METHOD} ${path}`, e.g. `GET /bulk/v1/activities/export/abc/status.json`. */
  route(key: string, handler: StubHandler): void;
  stop(): Promise<void>;
}

export function json(response: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function success(response: ServerResponse, result: unknown[], extra: Record<string, unknown> = {}): void {
  json(response, { requestId: 'stub#1', success: true, result, ...extra });
}

export function failure(response: ServerResponse, code: string, message: string): void {
  json(response, { requestId: 'stub#1', success: false, errors: [{ code, message }] });
}

export async function startStubMarketo(): Promise<StubMarketo> {
  const routes = new Map<string, StubHandler>();
  const calls: StubRequest[] = [];
  routes.set('POST /identity/oauth/token', (_req, res) =>
    json(res, { access_token: 'stub-token', token_type: 'bearer', expires_in: 3600, scope: 'x' }),
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const request: StubRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      calls.push(request);
      const handler = routes.get(`${request.method} ${request.path}`);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no route');
        return;
      }
      Promise.resolve(handler(request, res)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    route: (key, handler) => void routes.set(key, handler),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
