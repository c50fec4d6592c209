// The TransferChunk Lambda exactly as HandlerFunction bundles it (one ESM file, minified), run over a
// file of the Marketo simulator into S3 (moto): the hashing and counting worker threads must start from inside
// that one file, and the bundled BeginFile / TransferChunk / FinishFile move the file verified.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createProvider } from '../../lambdas/providers/registry';
import type { RemoteFile } from '../../lambdas/providers/types';
import { systemClock } from '../../lambdas/shared/clock';
import { silentLogger } from '../../lambdas/shared/logger';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, freshBucket, motoEndpoint, useMotoEnv } from '../support/moto';
import { baseConfig, sha256OfObject, sha256OfStream } from '../support/scenario';

const MiB = 1024 * 1024;
const out = mkdtempSync(path.join(tmpdir(), 'bundle-transfer-'));
const HANDLERS = ['begin-file', 'transfer-chunk', 'finish-file'] as const;
type Handler = (event: unknown, context?: { getRemainingTimeInMillis(): number }) => Promise<Record<string, unknown>>;

let sim: RunningSimulator & { provider: 'marketo' };
afterAll(async () => {
  await sim?.stop();
  rmSync(out, { recursive: true, force: true });
});

describeWithMoto('bundled TransferChunk handler', () => {
  let bucket: string;
  let secretName: string;
  beforeAll(async () => {
    useMotoEnv();
    bucket = await freshBucket();
    sim = (await startSimulatorFor('marketo', {
      marketo: { queuedMs: 0, processingMs: 0, bytesPerJob: 18 * MiB },
    })) as typeof sim;
    secretName = `bulk-export/marketo-${bucket}`;
    const secrets = new SecretsManagerClient({
      endpoint: motoEndpoint!,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await secrets.send(new CreateSecretCommand({ Name: secretName, SecretString: JSON.stringify(sim.credentials) }));
    // The options of HandlerFunction's bundling (lib/constructs/handler-function.ts).
    await build({
      entryPoints: HANDLERS.map((h) => `lambdas/handlers/${h}.ts`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      outdir: out,
      outExtension: { '.js': '.mjs' },
      banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
      logLevel: 'silent',
    });
  }, 120_000);

  it('moves a file over several invocations with hashing and counting on worker threads started from the bundle', async () => {
    const def = { ...baseConfig.exports.find((e) => e.name === 'marketo-activities')!, secretName };
    const provider = createProvider(def, sim.credentials, { clock: systemClock, logger: silentLogger });
    const window = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
    const started = await provider.startJob(window, def.request);
    if (started.kind !== 'started') throw new Error(`job not started: ${started.kind}`);
    let files: readonly RemoteFile[] = [];
    for (let i = 0; i < 50 && files.length === 0; i++) {
      const status = await provider.checkJob(started.job, i);
      files = status.files;
      if (files.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    const file = files[0]!;

    process.env.BUCKET_NAME = bucket;
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    // What the stack bakes into each bundle (esbuild define); unbundled, the variable is read at run time.
    process.env.PIPELINE_EXPORTS = JSON.stringify([def]);
    const load = async (h: (typeof HANDLERS)[number]) =>
      ((await import(pathToFileURL(path.join(out, `${h}.mjs`)).href)) as { handler: Handler }).handler;
    const [beginFile, transferChunk, finishFile] = await Promise.all(HANDLERS.map(load));
    const task = { export: def.name, window, job: started.job, file, fileCount: 1, jobRecords: null };

    const logged: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    let transfer: Record<string, unknown>;
    let invocations = 0;
    let result: Record<string, unknown>;
    try {
      transfer = await beginFile!(task);
      // A source of 8 MiB/s and 12 s left after the handler's one-minute reserve: the pacer's 10 s
      // margin lets about one 8 MiB part move per invocation.
      sim.marketo.faults.slowBytesPerSecond = 8 * MiB;
      for (; !(transfer.cursor as { done: boolean }).done && invocations < 20; invocations++) {
        transfer = await transferChunk!({ ...task, transfer }, { getRemainingTimeInMillis: () => 72_000 });
      }
      sim.marketo.faults.slowBytesPerSecond = undefined;
      result = await finishFile!({ ...task, transfer });
    } finally {
      write.mockRestore();
    }

    expect(invocations).toBeGreaterThanOrEqual(2);
    const chunkLogs = logged.filter((l) => l.includes('"transfer chunk"'));
    expect(chunkLogs.length).toBe(invocations);
    for (const l of chunkLogs) {
      expect(l).toContain('"hashThread":"worker"');
      expect(l).toContain('"countThread":"worker"');
    }
    const landed = await sha256OfObject(bucket, result.key as string);
    expect(landed).toEqual(await sha256OfStream(sim.marketo.fileStream(started.job.id)));
    expect(`sha256:${result.sha256 as string}`).toBe(
      file.sha256?.startsWith('sha256:') ? file.sha256 : `sha256:${file.sha256}`,
    );
  }, 120_000);
});
