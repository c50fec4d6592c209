// One curated-bench case in its own process (so its peak RSS is its own): the splits of one raw file
// converted one after another, as consecutive invocations would, with one Parquet writer (chosen by
// the entry point, curated-case-<writer>.ts).
import { LocalDirObjectStore } from '../local/store/local-dir-object-store';
import { convertSplit } from '../lambdas/curated/convert-split';
import { planSplits } from '../lambdas/curated/split-plan';
import { z } from 'zod';
import { BENCH_COLUMNS, BENCH_HEADER } from './curated-data';
import type { ParquetEncoderFactory } from '../lambdas/curated/parquet-encoder';

export const CuratedCaseInput = z.object({
  root: z.string(),
  rawKey: z.string(),
  fileSize: z.number().int().positive(),
  headerEnd: z.number().int().positive(),
  recordStarts: z.array(z.number().int()),
  splitBytes: z.number().int().positive(),
  rowGroupRawBytes: z.number().int().positive(),
  outputPrefix: z.string(),
});
export type CuratedCaseInput = z.infer<typeof CuratedCaseInput>;

export interface CuratedCaseResult {
  readonly csvBytes: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly rows: number;
  readonly parquetBytes: number;
  readonly keys: string[];
}

export async function runCuratedCase(encoder: ParquetEncoderFactory): Promise<void> {
  const input = CuratedCaseInput.parse(JSON.parse(process.argv[2] ?? ''));
  const store = new LocalDirObjectStore({ root: input.root });
  const splits = planSplits({
    fileSize: input.fileSize,
    headerEnd: input.headerEnd,
    recordStarts: input.recordStarts,
    maxSplitBytes: input.splitBytes,
  });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let rows = 0;
  let parquetBytes = 0;
  const keys: string[] = [];
  for (const split of splits) {
    const out = await convertSplit({
      store,
      rawKey: input.rawKey,
      format: 'csv',
      header: BENCH_HEADER,
      columns: BENCH_COLUMNS,
      split,
      outputKey: `${input.outputPrefix}-${split.index}.parquet`,
      rowGroupRawBytes: input.rowGroupRawBytes,
      encoder,
    });
    rows += out.rows;
    parquetBytes += out.bytes;
    keys.push(out.key);
  }
  const cpu = process.cpuUsage(cpuStart);
  const result: CuratedCaseResult = {
    csvBytes: input.fileSize,
    ms: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    rows,
    parquetBytes,
    keys,
  };
  console.log(JSON.stringify(result));
}
