// The benchmark's file server: HTTP Range over a GeneratedCsv, on 127.0.0.1 with a free port.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GeneratedCsv } from './generated-csv';

async function send(res: ServerResponse, file: GeneratedCsv, start: number, endExclusive: number): Promise<void> {
  for (const chunk of file.slices(start, endExclusive)) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

export interface BenchSource {
  readonly url: string;
  setFile(file: GeneratedCsv): void;
  close(): Promise<void>;
}

export async function startBenchSource(initial: GeneratedCsv): Promise<BenchSource> {
  let file = initial;
  const server = createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m?.[2] ? Math.min(Number(m[2]) + 1, file.size) : file.size;
    if (m && start >= file.size) {
      res.writeHead(416, { 'content-range': `bytes */${file.size}` }).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/csv', 'content-length': String(end - start) };
    if (m) headers['content-range'] = `bytes ${start}-${end - 1}/${file.size}`;
    res.writeHead(m ? 206 : 200, headers);
    send(res, file, start, end).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/export/file.csv`,
    setFile: (f) => {
      file = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
