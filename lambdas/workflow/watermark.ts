// The export's watermark: the end of the last window that landed completely. It only moves forward,
// only over contiguous windows, and with a conditional write so two runs cannot both move it.
import { z } from 'zod';
import type { ObjectStore } from '#transfer/object-store';
import { watermarkKey } from '#window/keys';
import { watermarkStanding } from './data-source';

const WatermarkSchema = z.object({
  export: z.string(),
  watermark: z.string(),
  updatedAt: z.string(),
  executionId: z.string().optional(),
  /** `simulator` or the provider API's host whose data moved it (absent: written before sources were recorded). */
  source: z.string().optional(),
});
export type Watermark = z.infer<typeof WatermarkSchema>;

export async function readWatermark(
  store: ObjectStore,
  exportName: string,
): Promise<{ value: Watermark; etag?: string } | undefined> {
  const got = await store.getObject(watermarkKey(exportName));
  if (!got) return undefined;
  const value = WatermarkSchema.parse(JSON.parse(got.body.toString('utf8')));
  return { value, ...(got.etag ? { etag: got.etag } : {}) };
}

export type CommitOutcome =
  | { readonly moved: true; readonly from?: string; readonly to: string }
  | { readonly moved: false; readonly current?: string; readonly reason: string };

/**
 * Advances the watermark to `to` when the committed range [from, to) starts at or before the current
 * watermark (before the first commit: the export's first start) and ends after it. Anything else
 * leaves it alone: a backfill of an older range must not move it back, and a range with a gap before
 * it must not jump over the gap (the scheduled runs would never fill it).
 */
export async function commitWatermark(
  store: ObjectStore,
  exportName: string,
  range: { from: string; to: string },
  meta: { now: Date; executionId?: string; firstStart: string; source?: string },
): Promise<CommitOutcome> {
  const current = await readWatermark(store, exportName);
  const standing = current ? watermarkStanding(current.value.source, meta.source) : 'own';
  if (standing === 'keep') {
    return {
      moved: false,
      current: current!.value.watermark,
      reason: `the watermark follows data from ${current!.value.source ?? 'the provider'}: a ${meta.source ?? ''} run does not move it`,
    };
  }
  // A simulator's watermark is replaced by the first real commit, wherever it stood.
  const stored = standing === 'ignore' ? undefined : current?.value.watermark;
  const at = stored ?? meta.firstStart;
  const kept = stored ? { current: stored } : {};
  if (Date.parse(range.to) <= Date.parse(at)) {
    return { moved: false, ...kept, reason: `watermark ${at} is already at or past ${range.to}` };
  }
  if (Date.parse(range.from) > Date.parse(at)) {
    return {
      moved: false,
      ...kept,
      reason: `range starts at ${range.from}, after the watermark ${at}: moving would skip a gap`,
    };
  }
  const next: Watermark = {
    export: exportName,
    watermark: range.to,
    updatedAt: meta.now.toISOString(),
    ...(meta.executionId ? { executionId: meta.executionId } : {}),
    ...(meta.source ? { source: meta.source } : {}),
  };
  const condition = current?.etag ? { ifMatch: current.etag } : current ? undefined : { ifNoneMatch: '*' as const };
  await store.putObject(watermarkKey(exportName), JSON.stringify(next, null, 2), 'application/json', condition);
  return { moved: true, ...(stored ? { from: at } : {}), to: range.to };
}
