// Small HTTP helpers shared by the simulated API and its file host.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** S3-style XML error, as a pre-signed object-store link answers. */
export function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
  sendText(
    res,
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    'application/xml',
  );
}

/** Serves bytes whole, or the single range asked for when `honourRange` (206 / 416 like S3). */
export function serveBytes(
  req: IncomingMessage,
  res: ServerResponse,
  bytes: Buffer,
  options: { honourRange: boolean; wrongContentRange?: boolean },
): void {
  const size = bytes.length;
  const base = { 'content-type': 'text/csv; charset=utf-8', 'accept-ranges': options.honourRange ? 'bytes' : 'none' };
  const m =
    options.honourRange && typeof req.headers.range === 'string'
      ? /^bytes=(\d*)-(\d*)$/.exec(req.headers.range.trim())
      : null;
  if (m && (m[1] !== '' || m[2] !== '')) {
    const suffix = m[1] === '';
    const start = suffix ? Math.max(0, size - Number(m[2])) : Number(m[1]);
    const end = suffix || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (start >= size || start > end) {
      res.writeHead(416, { ...base, 'content-range': `bytes */${size}`, 'content-length': 0 });
      res.end();
      return;
    }
    const shift = options.wrongContentRange ? 1 : 0;
    res.writeHead(206, {
      ...base,
      'content-range': `bytes ${start + shift}-${end}/${size}`,
      'content-length': end - start + 1,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
    return;
  }
  res.writeHead(200, { ...base, 'content-length': size });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
