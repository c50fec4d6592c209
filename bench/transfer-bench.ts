// npm run bench: a local HTTP Range source of generated CSV, transferred to moto_server S3 and to the
// local-directory store, against (a) the limits (source to nowhere; memory to the sink), (b) lib-storage's
// Upload fed by the same HTTP stream, (c) our transfer over several simulated invocations. Each case runs
// in its own child process so its peak RSS is its own. Ratios use "stream" rates, which leave out moto's
// CompleteMultipartUpload (slow object assembly that costs every uploader the same).
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { build } from 'esbuild';
import { z } from 'zod';
import { CASE_KINDS, type CaseInput, type CaseKind } from './bench-cases';
import { type CaseResult, caseLine, summaryLine, tableHeader, timeLine } from './bench-report';
import { GeneratedCsv } from './generated-csv';
import { gbSecondsLine } from './lambda-gb-seconds';
import { startMoto } from './moto-process';
import { startBenchSource } from './range-source';

const MIB = 1024 * 1024;
const ROOT = join(import.meta.dirname, '..');
const WORK = join(ROOT, '.bench-data');

const program = new Command()
  .option('--sizes <mib>', 'file sizes in MiB, comma-separated (small first)', '256,2048')
  .option('--part-mib <n>', 'part size in MiB', '8')
  .option('--in-flight <n>', 'parts uploading at once', '2')
  .option('--invocations <n>', 'simulated invocations a transfer is spread over (at least)', '3')
  .option('--cases <list>', `cases to run, of ${CASE_KINDS.join(',')}`, CASE_KINDS.join(','));
program.parse();
const opts = z
  .object({
    sizes: z.string(),
    partMib: z.coerce.number().int().min(5),
    inFlight: z.coerce.number().int().min(1),
    invocations: z.coerce.number().int().min(1),
    cases: z.string(),
  })
  .parse(program.opts());
const sizes = opts.sizes.split(',').map((s) => Number(s) * MIB);
const kinds = opts.cases.split(',').map((k) => z.enum(CASE_KINDS).parse(k));

const CaseResultSchema = z.object({
  bytes: z.number(),
  completeMs: z.number(),
  totalMs: z.number(),
  maxRssMiB: z.number(),
  cpuMs: z.number(),
  invocations: z.number().optional(),
  rangeRequests: z.number().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
});

async function runChild(script: string, input: CaseInput): Promise<CaseResult> {
  const child = spawn(process.execPath, [script, JSON.stringify(input)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`case ${input.kind} exited with ${code}`);
  const last = out.trim().split('\n').at(-1) ?? '';
  return CaseResultSchema.parse(JSON.parse(last)) as CaseResult;
}

function loadNote(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  await mkdir(WORK, { recursive: true });
  const script = join(WORK, 'bench-case.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'bench-case.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: script,
    logLevel: 'warning',
  });

  const moto = await startMoto();
  const source = await startBenchSource(new GeneratedCsv(MIB));
  const results: Partial<Record<CaseKind, CaseResult>>[] = [];
  const benchStarted = performance.now();
  console.log(
    `transfer benchmark: ${opts.partMib} MiB parts, ${opts.inFlight} in flight, >= ${opts.invocations} invocations per transfer; node ${process.version}`,
  );
  console.log(`machine: ${loadNote()}`);
  try {
    for (const size of sizes) {
      const file = new GeneratedCsv(size);
      const sha256 = file.sha256();
      source.setFile(file);
      console.log(
        `\nfile of ${(file.size / MIB).toFixed(0)} MiB (${file.size} bytes, ${file.records} records, sha256 ${sha256.slice(0, 12)}...)`,
      );
      console.log(tableHeader());
      const bySize: Partial<Record<CaseKind, CaseResult>> = {};
      results.push(bySize);
      for (const kind of kinds) {
        await moto.reset();
        const localRoot = join(WORK, 'store');
        await rm(localRoot, { recursive: true, force: true });
        const input: CaseInput = {
          kind,
          url: source.url,
          size: file.size,
          sha256,
          records: file.records,
          motoEndpoint: moto.endpoint,
          localRoot,
          partSize: opts.partMib * MIB,
          partsInFlight: opts.inFlight,
          invocations: opts.invocations,
        };
        const motoBefore = moto.cpuMs();
        const sourceBefore = process.cpuUsage();
        const child = await runChild(script, input);
        const motoAfter = moto.cpuMs();
        const sourceCpu = process.cpuUsage(sourceBefore);
        const result: CaseResult = {
          ...child,
          ...(motoBefore !== undefined && motoAfter !== undefined && kind.endsWith('s3')
            ? { motoCpuMs: motoAfter - motoBefore }
            : {}),
          sourceCpuMs: (sourceCpu.user + sourceCpu.system) / 1000,
        };
        bySize[kind] = result;
        console.log(caseLine(kind, result));
        await rm(localRoot, { recursive: true, force: true });
      }
      for (const kind of kinds) {
        const r = bySize[kind];
        const line = r && timeLine(kind, r);
        if (line) console.log(line);
      }
    }
  } finally {
    moto.stop();
    await source.close();
  }
  console.log(
    `\nbenchmark took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s; machine now: ${loadNote()}`,
  );
  const label = (b: number) => (b >= 1024 * MIB ? `${b / (1024 * MIB)}GiB` : `${b / MIB}MiB`);
  const small = results[0] ?? {};
  const big = results.at(-1) ?? {};
  console.log(summaryLine(small, big, label(sizes.at(-1) ?? 0), label(sizes[0] ?? 0)));
  const transfer = big['transfer-local'] ?? big['transfer-s3'];
  if (transfer) console.log(`Lambda: ${gbSecondsLine('TransferChunk', transfer)}`);
}

await main();
