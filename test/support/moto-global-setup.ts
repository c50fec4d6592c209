// Starts a moto_server on a free 127.0.0.1 port for each project that needs S3, and stops it by its own pid.
// Test files must not share buckets: each uses its own bucket name (see test/support/moto.ts), so
// files may run in parallel without resetting each other's state.
import type { TestProject } from 'vitest/node';
import { motoServerInstalled, startMotoServer, type MotoServer } from '../../local/moto-server';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string | undefined;
  }
}

// Each project that lists this file (s3, e2e) runs it: each gets its own server, stopped by the
// teardown its own setup returns (a module-level variable would leak the first one).
export async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (!motoServerInstalled()) {
    if (process.env.CI)
      throw new Error('moto_server is not installed, and CI must run the S3 tests (pip install "moto[server]")');
    project.provide('motoEndpoint', undefined);
    return undefined;
  }
  const moto: MotoServer = await startMotoServer();
  project.provide('motoEndpoint', moto.endpoint);
  return () => moto.stop();
}
