// Raw Marketo CSV for the curated bench, from the simulator's own generator (unique GUIDs, rising dates,
// every hazard), written once to disk with the record starts the transfer would note, and reused.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { z } from 'zod';
import type { CuratedColumn } from '../lambdas/curated/curated-column';
import { tableLayout } from '../lambdas/providers/descriptors';
import { DEFAULT_ACTIVITY_FIELDS } from '../lambdas/providers/marketo/activity-fields';
import { ActivityGenerator } from '../local/simulators/marketo/activity-generator';
import { parseCreateRequest } from '../local/simulators/marketo/create-request';

// The columns the pipeline itself converts Marketo activities with: the dataset descriptor's.
const layout = tableLayout({ provider: 'marketo', dataset: 'activities', request: {} });
export const BENCH_HEADER: string[] = [...DEFAULT_ACTIVITY_FIELDS];
export const BENCH_COLUMNS: readonly CuratedColumn[] = layout.columns.map((c) => ({
  name: c.name,
  type: c.type,
  nullTokens: layout.nullTokens,
}));

/** The one column the "one-column aggregate" reads (`SELECT activitytypeid, count(*) … GROUP BY 1`). */
export const AGGREGATE_COLUMN = 'activitytypeid';

/** How often a record start is noted (the transfer notes one about every 64 MiB; finer here so any case size can end on one). */
const NOTE_EVERY_BYTES = 16 * 1024 * 1024;
const ROWS_PER_RENDER = 20_000;

const RawMeta = z.object({
  version: z.literal(1),
  size: z.number(),
  headerEnd: z.number(),
  records: z.number(),
  recordStarts: z.array(z.number()),
});
export type RawMeta = z.infer<typeof RawMeta>;

/** Writes (or finds) at least `minBytes` of generated Marketo CSV at `path`. */
export async function ensureRawCsv(path: string, minBytes: number): Promise<RawMeta> {
  const metaPath = `${path}.meta.json`;
  try {
    const meta = RawMeta.parse(JSON.parse(await readFile(metaPath, 'utf8')));
    if (meta.size >= minBytes) return meta;
  } catch {
    // Not generated yet (or by another version): generate.
  }
  await mkdir(dirname(path), { recursive: true });
  const request = parseCreateRequest({
    filter: { createdAt: { startAt: '2026-11-01T00:00:00Z', endAt: '2026-11-02T00:00:00Z' } },
  });
  const gen = new ActivityGenerator({
    seed: 42,
    request,
    includeNulByte: false,
    spreadRows: Math.ceil(minBytes / 200),
  });
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  out.write(gen.header);
  let size = gen.header.length;
  let records = 0;
  let nextNote = NOTE_EVERY_BYTES;
  const recordStarts: number[] = [];
  while (size < minBytes) {
    const rowEnds: number[] = [];
    const rows = gen.renderRows(records, records + ROWS_PER_RENDER, rowEnds);
    for (const end of rowEnds) {
      if (size + end >= nextNote) {
        recordStarts.push(size + end);
        nextNote += NOTE_EVERY_BYTES;
      }
    }
    records += ROWS_PER_RENDER;
    size += rows.length;
    if (!out.write(rows)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rename(tmp, path);
  const meta: RawMeta = {
    version: 1,
    size,
    headerEnd: gen.header.length,
    records,
    recordStarts: recordStarts.filter((s) => s < size),
  };
  await writeFile(metaPath, JSON.stringify(meta));
  return meta;
}
