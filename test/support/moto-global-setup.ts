// Starts one moto_server for the whole run on a free 127.0.0.1 port and stops it by its own pid.
// Test files must not share buckets: each uses its own bucket name (see test/support/moto.ts), so
// files may run in parallel without resetting each other's state.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string | undefined;
  }
}

let child: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function motoAvailable(): boolean {
  try {
    execFileSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

async function waitUntilUp(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`moto_server did not answer at ${url} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function setup(project: TestProject): Promise<void> {
  if (!motoAvailable()) {
    if (process.env.CI) throw new Error('moto_server is not installed, and CI must run the S3 tests (pip install "moto[server]")');
    project.provide('motoEndpoint', undefined);
    return;
  }
  const port = await freePort();
  child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: false });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, 30_000);
  project.provide('motoEndpoint', endpoint);
}

export async function teardown(): Promise<void> {
  if (child?.pid) {
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
