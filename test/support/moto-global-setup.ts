// Starts one moto_server for the whole run on a free 127.0.0.1 port and stops it by its own pid.
// Test files must not share buckets: each uses its own bucket name (see test/support/moto.ts), so
// files may run in parallel without resetting each other's state.
import type { TestProject } from 'vitest/node';
import { motoServerInstalled, startMotoServer, type MotoServer } from '../../local/moto-server';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string | undefined;
  }
}

let moto: MotoServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (!motoServerInstalled()) {
    if (process.env.CI) throw new Error('moto_server is not installed, and CI must run the S3 tests (pip install "moto[server]")');
    project.provide('motoEndpoint', undefined);
    return;
  }
  moto = await startMotoServer();
  project.provide('motoEndpoint', moto.endpoint);
}

export async function teardown(): Promise<void> {
  moto?.stop();
}
