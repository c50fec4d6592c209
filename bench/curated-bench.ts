// npm run bench (second half): raw Marketo CSV → curated Parquet with each candidate writer, each case
// in its own child process, at two file sizes. Large files are converted as splits (at noted record
// starts), one after another, so peak RSS should not grow with the file. Reports MB/s of CSV, peak RSS,
// Parquet/CSV bytes, and the bytes a one-column aggregate reads (that column's chunk sizes from the
// Parquet footer, as Athena would fetch them) over the CSV bytes. The last line is key=value.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import { build } from 'esbuild';
import { z } from 'zod';
import { ROW_GROUP_RAW_BYTES } from '../lambdas/curated/convert-split';
import type { CuratedCaseInput, CuratedCaseResult } from './curated-case';
import { AGGREGATE_COLUMN, ensureRawCsv } from './curated-data';
import { CHOSEN_WRITER, WRITERS, type WriterName } from './curated-writers';
import { gbSecondsLine } from './lambda-gb-seconds';

const MIB = 1024 * 1024;
const ROOT = join(import.meta.dirname, '..');
const WORK = join(ROOT, '.bench-data', 'curated');
const RAW_KEY = 'raw/bench/marketo.csv';

const program = new Command()
  .option(
    '--sizes <mib>',
    'raw file sizes in MiB, comma-separated (small first)',
    process.env.CURATED_BENCH_SIZES ?? '256,2048',
  )
  .option(
    '--writers <list>',
    `writers to compare, of ${WRITERS.join(',')}`,
    process.env.CURATED_BENCH_WRITERS ?? WRITERS.join(','),
  )
  .option(
    '--compare-up-to <mib>',
    'run every writer only at sizes up to this; larger sizes run the chosen one',
    process.env.CURATED_BENCH_COMPARE_UP_TO ?? '256',
  )
  .option('--split-mib <n>', 'largest split (one invocation) in MiB', '128')
  .option('--row-group-mib <n>', 'raw CSV bytes per row group in MiB', String(ROW_GROUP_RAW_BYTES / MIB))
  // V8 grows its heap lazily, so an uncapped process's peak RSS says more about GC timing (and the
  // machine's load) than about what the conversion holds; a cap, like a Lambda's memory, measures that.
  .option('--heap-mib <n>', 'V8 old-space cap for each case (0: none)', process.env.CURATED_BENCH_HEAP_MIB ?? '512');
program.parse();
const opts = z
  .object({
    sizes: z.string(),
    writers: z.string(),
    compareUpTo: z.coerce.number(),
    splitMib: z.coerce.number().positive(),
    rowGroupMib: z.coerce.number().positive(),
    heapMib: z.coerce.number().int().min(0),
  })
  .parse(program.opts());
const sizes = opts.sizes.split(',').map((s) => Math.round(Number(s) * MIB));
const writers = opts.writers.split(',').map((w) => z.enum(WRITERS).parse(w));

const CaseResultSchema = z.object({
  csvBytes: z.number(),
  ms: z.number(),
  cpuMs: z.number(),
  maxRssMiB: z.number(),
  rows: z.number(),
  parquetBytes: z.number(),
  keys: z.array(z.string()),
});

async function runChild(script: string, writer: WriterName, input: CuratedCaseInput): Promise<CuratedCaseResult> {
  const heap = opts.heapMib > 0 ? [`--max-old-space-size=${opts.heapMib}`] : [];
  const child = spawn(process.execPath, [...heap, script, JSON.stringify(input)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`case ${writer} exited with ${code}`);
  return CaseResultSchema.parse(JSON.parse(out.trim().split('\n').at(-1) ?? ''));
}

interface Measured extends CuratedCaseResult {
  readonly writer: WriterName;
  readonly columnBytes: number;
  readonly readBackRows: number;
}

const mbps = (m: Measured) => m.csvBytes / 1e6 / (m.ms / 1000);
const pct = (part: number, whole: number) => (100 * part) / whole;
const label = (b: number) => (b >= 1024 * MIB ? `${(b / (1024 * MIB)).toFixed(0)}GiB` : `${(b / MIB).toFixed(0)}MiB`);

async function main(): Promise<void> {
  const started = performance.now();
  const biggest = Math.max(...sizes);
  const meta = await ensureRawCsv(join(WORK, RAW_KEY), biggest);
  const scriptOf = (writer: WriterName) => join(WORK, `curated-case-${writer}.mjs`);
  await build({
    entryPoints: WRITERS.map((w) => join(import.meta.dirname, `curated-case-${w}.ts`)),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: WORK,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  console.log(
    `\ncurated benchmark: CSV → Parquet, splits of <= ${opts.splitMib} MiB converted in turn, row groups of ${opts.rowGroupMib} MiB of CSV, ${opts.heapMib > 0 ? `V8 heap capped at ${opts.heapMib} MiB` : 'V8 heap uncapped'}; node ${process.version}`,
  );
  console.log(
    `  ${'case'.padEnd(26)}${'MB/s'.padStart(8)}${'RSS MiB'.padStart(9)}${'cpu/MB'.padStart(8)}${'pq/csv'.padStart(8)}${'1col/csv'.padStart(10)}${'rows'.padStart(11)}`,
  );
  const results: Measured[] = [];
  for (const size of sizes) {
    // A case of `size` ends on the first noted record start at or past it: whole records only.
    const fileSize = meta.recordStarts.find((s) => s >= size) ?? meta.size;
    for (const writer of writers) {
      if (writer !== CHOSEN_WRITER && size > opts.compareUpTo * MIB) continue;
      const outputPrefix = `curated/bench/${writer}-${label(size)}/part`;
      await rm(join(WORK, 'curated'), { recursive: true, force: true });
      const running = runChild(scriptOf(writer), writer, {
        root: WORK,
        rawKey: RAW_KEY,
        fileSize,
        headerEnd: meta.headerEnd,
        recordStarts: meta.recordStarts,
        splitBytes: Math.round(opts.splitMib * MIB),
        rowGroupRawBytes: Math.round(opts.rowGroupMib * MIB),
        outputPrefix,
      });
      let result: CuratedCaseResult;
      try {
        result = await running;
      } catch (err) {
        // A compared writer that cannot convert within the cap is a finding, not the end of the bench.
        if (writer === CHOSEN_WRITER) throw err;
        console.log(
          `  ${`${writer} ${label(size)}`.padEnd(26)}failed: ${err instanceof Error ? err.message : String(err)}`,
        );
        continue;
      }
      const paths = `[${result.keys.map((k) => `'${join(WORK, k)}'`).join(', ')}]`;
      const chunks = await duck.runAndReadAll(
        `SELECT sum(total_compressed_size) AS b FROM parquet_metadata(${paths}) WHERE path_in_schema = '${AGGREGATE_COLUMN}'`,
      );
      const counted = await duck.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${paths})`);
      const m: Measured = {
        ...result,
        writer,
        columnBytes: Number(chunks.getRowObjects()[0]?.b ?? 0),
        readBackRows: Number(counted.getRowObjects()[0]?.n ?? 0),
      };
      if (m.readBackRows !== m.rows) throw new Error(`${writer}: wrote ${m.rows} rows, DuckDB reads ${m.readBackRows}`);
      results.push(m);
      console.log(
        `  ${`${writer} ${label(size)}`.padEnd(26)}${mbps(m).toFixed(1).padStart(8)}${m.maxRssMiB.toFixed(0).padStart(9)}${(m.cpuMs / (m.csvBytes / 1e6)).toFixed(2).padStart(8)}` +
          `${pct(m.parquetBytes, m.csvBytes).toFixed(1).padStart(7)}%${pct(m.columnBytes, m.csvBytes).toFixed(2).padStart(9)}%${String(m.rows).padStart(11)}`,
      );
    }
  }
  await rm(join(WORK, 'curated'), { recursive: true, force: true });
  const chosen = results.filter((r) => r.writer === CHOSEN_WRITER);
  const small = chosen[0];
  const big = chosen.at(-1);
  console.log(`\ncurated benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!small || !big) return;
  const rssGrowth = pct(big.maxRssMiB - small.maxRssMiB, small.maxRssMiB);
  const figures = {
    writer: CHOSEN_WRITER,
    heap_cap_mib: opts.heapMib,
    small: label(sizes[0] ?? 0),
    big: label(sizes.at(-1) ?? 0),
    mbps_small: mbps(small).toFixed(1),
    mbps_big: mbps(big).toFixed(1),
    rss_small_mib: small.maxRssMiB.toFixed(0),
    rss_big_mib: big.maxRssMiB.toFixed(0),
    rss_growth_pct: rssGrowth.toFixed(1),
    parquet_over_csv_pct: pct(big.parquetBytes, big.csvBytes).toFixed(1),
    one_column_over_csv_pct: pct(big.columnBytes, big.csvBytes).toFixed(2),
    ...Object.fromEntries(
      results
        .filter((r) => r.writer !== CHOSEN_WRITER)
        .map((r) => [`mbps_${r.writer.replace('-', '_')}_${label(r.csvBytes)}`, mbps(r).toFixed(1)]),
    ),
    ...Object.fromEntries(
      results
        .filter((r) => r.writer !== CHOSEN_WRITER)
        .map((r) => [`rss_${r.writer.replace('-', '_')}_${label(r.csvBytes)}_mib`, r.maxRssMiB.toFixed(0)]),
    ),
  };
  console.log(
    Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  );
  console.log(`Lambda: ${gbSecondsLine('ConvertSplit', { cpuMs: big.cpuMs, bytes: big.csvBytes })}`);
}

await main();
