// A moto_server (Python moto: a real S3, Secrets Manager… implementation) on a free 127.0.0.1 port,
// stopped by its own pid. Shared by the test global setup and the benchmark.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number | undefined;
  /** Drops every resource moto holds (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

export function motoServerInstalled(): boolean {
  const res = spawnSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 30_000 });
  return res.status === 0;
}

export async function startMotoServer(startupMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  };
  const until = Date.now() + startupMs;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until || child.exitCode !== null) {
      stop();
      throw new Error(
        `moto_server did not answer at ${endpoint} within ${startupMs} ms (is it installed? pip install "moto[server]")`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    endpoint,
    pid: child.pid,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop,
  };
}
