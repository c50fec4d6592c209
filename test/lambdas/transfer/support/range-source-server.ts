// A small HTTP file server with Range support and switchable faults, on 127.0.0.1 with a free port:
// connection resets at chosen file offsets, a server that ignores Range, a Content-Range that does not
// match the request, responses that hide the file's total size, and failing status codes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RangeSourceFaults {
  /** Each offset, once: the connection is destroyed when the body reaches that byte of the file. */
  resetAtOffsets?: number[];
  /** Every response is cut after this many body bytes. */
  resetEveryResponseAfterBytes?: number;
  /** Answer 200 with the whole file, whatever Range says. */
  ignoreRange?: boolean;
  /** Announce a Content-Range starting one byte later than the bytes actually sent. */
  wrongContentRange?: boolean;
  /** No Content-Length, and '*' as Content-Range total: the size stays unknown. */
  hideTotal?: boolean;
  /** Answer every request with this status (and a short text body). */
  failWithStatus?: number;
}

export interface RecordedRequest {
  readonly range: string | undefined;
  readonly status: number;
}

export interface RangeSource {
  readonly url: string;
  readonly requests: RecordedRequest[];
  faults: RangeSourceFaults;
  close(): Promise<void>;
}

const WRITE_CHUNK = 64 * 1024;

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

async function writeBody(
  res: ServerResponse,
  data: Buffer,
  start: number,
  end: number,
  cutAt: number | undefined,
  onCut: () => void,
): Promise<void> {
  let pos = start;
  while (pos <= end) {
    if (res.destroyed) return;
    if (cutAt !== undefined && pos >= cutAt) {
      onCut();
      res.socket?.destroy();
      return;
    }
    const stop = Math.min(end + 1, pos + WRITE_CHUNK, cutAt ?? Number.POSITIVE_INFINITY);
    const chunk = data.subarray(pos, stop);
    pos = stop;
    if (cutAt !== undefined && pos >= cutAt) {
      // Let the bytes before the cut reach the client: a reset must not swallow what was sent.
      await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 5));
    } else if (!res.write(chunk)) {
      await new Promise<void>((resolve) => res.once('drain', resolve));
    }
  }
  res.end();
}

export async function startRangeSource(data: Buffer, faults: RangeSourceFaults = {}): Promise<RangeSource> {
  const requests: RecordedRequest[] = [];
  const source = { faults };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const f = source.faults;
    const record = (status: number) => requests.push({ range: req.headers.range, status });
    if (f.failWithStatus) {
      record(f.failWithStatus);
      res.writeHead(f.failWithStatus, { 'content-type': 'text/plain' }).end(`simulated ${f.failWithStatus}`);
      return;
    }
    const range = f.ignoreRange ? undefined : parseRange(req.headers.range, data.length);
    if (range === 'unsatisfiable') {
      record(416);
      res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? data.length - 1;
    const pendingReset = (f.resetAtOffsets ?? []).filter((o) => o >= start && o <= end).sort((a, b) => a - b)[0];
    // A reset is used up only when it fires (a client may close the response before reaching it).
    const onCut = () => {
      if (pendingReset !== undefined) f.resetAtOffsets = (f.resetAtOffsets ?? []).filter((o) => o !== pendingReset);
    };
    const everyCut = f.resetEveryResponseAfterBytes !== undefined ? start + f.resetEveryResponseAfterBytes : undefined;
    const cutAt = [pendingReset, everyCut].filter((v): v is number => v !== undefined).sort((a, b) => a - b)[0];
    const headers: Record<string, string> = { 'content-type': 'text/csv' };
    if (!f.hideTotal) headers['content-length'] = String(Math.max(0, end - start + 1));
    if (range) {
      const shown = f.wrongContentRange ? `${start + 1}-${end}` : `${start}-${end}`;
      headers['content-range'] = `bytes ${shown}/${f.hideTotal ? '*' : data.length}`;
    }
    const status = range ? 206 : 200;
    record(status);
    res.writeHead(status, headers);
    await writeBody(res, data, start, end, cutAt, onCut);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/file.csv`,
    requests,
    get faults() {
      return source.faults;
    },
    set faults(v: RangeSourceFaults) {
      source.faults = v;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
