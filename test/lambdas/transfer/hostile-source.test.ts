// Reading a file defends its time: against look-alike servers on loopback, a source that trickles is
// abandoned and resumed, then failed by name (TransferTooSlowError), and a server that never sends
// headers, or goes silent in the body, fails with an error naming the host and the phase.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../lambdas/shared/clock';
import { TransferTooSlowError, TransientApiError } from '../../../lambdas/shared/errors';
import { silentLogger } from '../../../lambdas/shared/logger';
import { httpRangeOpener } from '../../../lambdas/transfer/http-range-opener';
import { readRange, type RangeReadStats } from '../../../lambdas/transfer/range-reader';

const SIZE = 4096;
let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A loopback server whose every answer is `respond`; returns its URL. */
async function serve(respond: (res: ServerResponse, range: string | undefined) => void): Promise<string> {
  server = createServer((req, res) => respond(res, req.headers.range));
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.csv`;
}

/** 206 from the asked offset, one byte every `everyMs` (never silent long enough for a body timeout). */
function trickle(everyMs: number) {
  return (res: ServerResponse, range: string | undefined) => {
    const start = Number(/bytes=(\d+)-/.exec(range ?? '')?.[1] ?? 0);
    res.writeHead(206, {
      'content-range': `bytes ${start}-${SIZE - 1}/${SIZE}`,
      'content-length': String(SIZE - start),
    });
    let at = start;
    const timer = setInterval(() => {
      if (res.destroyed || at >= SIZE) return clearInterval(timer);
      res.write('x');
      at += 1;
      if (at >= SIZE) res.end();
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

async function drain(
  url: string,
  options: Partial<Parameters<typeof readRange>[3]> & { headersTimeoutMs?: number; bodyTimeoutMs?: number } = {},
) {
  const stats: RangeReadStats = { requests: 0, resumes: 0, rangeIgnored: false };
  const { headersTimeoutMs, bodyTimeoutMs, ...reader } = options;
  const open = httpRangeOpener(url, {
    ...(headersTimeoutMs ? { headersTimeoutMs } : {}),
    ...(bodyTimeoutMs ? { bodyTimeoutMs } : {}),
  });
  let bytes = 0;
  const started = Date.now();
  try {
    for await (const chunk of readRange(
      open,
      0,
      SIZE,
      { clock: systemClock, logger: silentLogger, backoffBaseMs: 10, backoffMaxMs: 20, ...reader },
      stats,
    ))
      bytes += chunk.length;
    return { bytes, stats, error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { bytes, stats, error: error as Error, ms: Date.now() - started };
  }
}

describe('a hostile source', () => {
  it('trickling below the minimum rate: each request is abandoned after a window and resumed, then the read fails as TransferTooSlowError', async () => {
    const url = await serve(trickle(20));
    // ~50 bytes/s against a minimum of 1,000 bytes/s, judged every 300 ms of waiting.
    const { error, stats, bytes, ms } = await drain(url, {
      minBytesPerSecond: 1_000,
      rateWindowMs: 300,
      maxSlowReads: 3,
    });
    expect(error).toBeInstanceOf(TransferTooSlowError);
    expect(error?.message).toMatch(
      /^source too slow at byte \d+ on 3 requests in a row \(last: \d+ bytes in 0\.\d s, below the minimum of 1000 bytes\/s\); it would not finish$/,
    );
    expect(stats.requests).toBe(3);
    expect(stats.resumes).toBe(2);
    // Resumed from where it was, never from zero; and given up within seconds, not hours.
    expect(bytes).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5_000);
  });

  it('a source fast enough is never judged slow, even when the consumer is the slow one', async () => {
    const url = await serve((res) => {
      res.writeHead(206, { 'content-range': `bytes 0-${SIZE - 1}/${SIZE}`, 'content-length': String(SIZE) });
      // Eight pieces, sent at once: the source is fast, however long the consumer spends on each.
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(SIZE / 8, 0x61));
      res.end();
    });
    const stats: RangeReadStats = { requests: 0, resumes: 0, rangeIgnored: false };
    let bytes = 0;
    for await (const chunk of readRange(
      httpRangeOpener(url),
      0,
      SIZE,
      { clock: systemClock, logger: silentLogger, minBytesPerSecond: 1_000_000, rateWindowMs: 50 },
      stats,
    )) {
      bytes += chunk.length;
      // The consumer takes its time (an upload): that time is not the source's.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(bytes).toBe(SIZE);
    expect(stats.requests).toBe(1);
  });

  it('a server that never sends headers fails with the host and the phase, after the bounded attempts', async () => {
    const url = await serve(() => {
      // Never answers.
    });
    const { error, stats } = await drain(url, { headersTimeoutMs: 150, maxAttempts: 2 });
    const host = new URL(url).host;
    expect(error).toBeInstanceOf(TransientApiError);
    expect(error?.message).toContain(`headers timeout: ${host} sent no response headers in time`);
    expect(stats.requests).toBe(2);
  });

  it('a body that goes silent fails with the host and the body phase', async () => {
    const url = await serve((res, range) => {
      const start = Number(/bytes=(\d+)-/.exec(range ?? '')?.[1] ?? 0);
      res.writeHead(206, {
        'content-range': `bytes ${start}-${SIZE - 1}/${SIZE}`,
        'content-length': String(SIZE - start),
      });
      res.write('partial');
    });
    const named = `body timeout: ${new URL(url).host} went silent in the middle of the body`;
    const bounded = await drain(url, { bodyTimeoutMs: 150, maxRequests: 2, maxSlowReads: 100 });
    expect(bounded.bytes).toBe(14);
    expect(bounded.error).toBeInstanceOf(TransientApiError);
    expect(bounded.error?.message).toBe(named);
    // Each request sends a little, then nothing: that silence is below any rate, so it fails by name too.
    const slow = await drain(url, { bodyTimeoutMs: 150, rateWindowMs: 100, minBytesPerSecond: 1_000, maxSlowReads: 3 });
    expect(slow.error).toBeInstanceOf(TransferTooSlowError);
    expect(slow.error?.message).toBe(`source too slow at byte 21 on 3 requests in a row (last: ${named})`);
    expect(slow.stats.requests).toBe(3);
  });
});
