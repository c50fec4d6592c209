// WriteManifest: one manifest per window, written after every file of the window is verified and
// visible and converted, so a manifest's presence means "this window landed completely". Before it is
// written: the curated rows must add up to the records counted (and to the provider's count), every
// listed object must still be there, and nothing else of this window — nor of any window of the export
// it overlaps (a change of grain) — may stay readable beside it (lambdas/window/supersede.ts).
import { RecordCountMismatchError, SizeMismatchError } from '#shared/errors';
import { parseOrThrow } from '#shared/validation';
import { abortOpenUploadsOfLandedWindow } from '#window/abort-open-uploads';
import { deleteJobRecord } from '#window/job-record';
import { manifestKey } from '#window/keys';
import { listedObjects, putManifest, type Manifest, type ManifestFile } from '#window/manifest';
import { removeOverlappingWindows, removeUnlistedObjects } from '#window/supersede';
import { recordWindowLanded } from '#window/ledger-records';
import { recordCurated, recordLanded } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { WriteManifestInputSchema, type LandedFile, type WindowSummary } from '../state';

/** What was compared with the provider's own figures; false where it gave nothing to compare. */
export function verifiedOf(file: LandedFile): { bytes: boolean; sha256: boolean; records: boolean } {
  return {
    bytes: file.expectedBytes !== null,
    sha256: file.expectedSha256 !== null,
    records: file.expectedRecords !== null,
  };
}

/** A landed file as the manifest lists it (the window summary lists the same, less the header). */
function manifestFileOf(f: LandedFile): ManifestFile {
  return {
    key: f.key,
    uri: f.uri,
    bytes: f.bytes,
    sha256: f.sha256,
    records: f.records,
    columns: f.header,
    verified: verifiedOf(f),
    curated: f.curated.map((p) => ({
      key: p.key,
      uri: p.uri,
      bytes: p.bytes,
      sha256: p.sha256,
      rows: p.rows,
      ...(p.rejects ? { rejects: p.rejects } : {}),
    })),
  };
}

export async function writeManifest(event: unknown, rt: WorkflowRuntime): Promise<WindowSummary> {
  const input = parseOrThrow(WriteManifestInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const files = [...input.files].sort((a, b) => a.index - b.index);
  const counted = files.reduce((n, f) => n + f.records, 0);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);

  // Every value of the raw file reached Parquet: rows written = records counted in transfer, per file,
  // and across the window = what the provider announced for the job (when it did).
  for (const f of files) {
    const rows = f.curated.reduce((n, p) => n + p.rows, 0);
    if (rows !== f.records)
      throw new RecordCountMismatchError(
        `${f.key}: ${rows} rows written to Parquet, ${f.records} records counted in the raw file`,
      );
  }
  if (input.poll.records !== null && counted !== input.poll.records) {
    throw new RecordCountMismatchError(
      `window ${input.window.start}/${input.window.end}: ${counted} records landed, ${def.provider} announced ${input.poll.records}`,
    );
  }

  // Nulled values are still rows (the count above holds); they are listed in the rejects table.
  const rejectedValues = files.reduce((n, f) => n + f.curated.reduce((m, p) => m + (p.rejects?.rows ?? 0), 0), 0);
  const finishedAt = rt.clock.now().toISOString();
  const listedFiles = files.map(manifestFileOf);
  const manifest: Manifest = {
    manifestVersion: 2,
    export: def.name,
    provider: def.provider,
    dataset: def.dataset,
    ...(input.source ? { source: input.source } : {}),
    window: input.window,
    job: {
      id: input.job.id,
      createdAt: input.job.createdAt ?? null,
      providerStatus: input.poll.providerStatus,
      polls: input.poll.count,
    },
    files: listedFiles,
    records: {
      counted,
      provider: input.poll.records,
      curated: files.reduce((n, f) => n + f.curated.reduce((m, p) => m + p.rows, 0), 0),
    },
    bytes,
    ...(rejectedValues > 0 ? { rejectedValues } : {}),
    timings: { runStartedAt: input.runStartedAt, finishedAt },
  };

  // The objects must still be there as the steps left them: a concurrent failed run of the same window
  // may have removed them, and a manifest must never list what is not there.
  const listed = listedObjects(manifest);
  for (const [key, size] of listed) {
    const head = await rt.store.headObject(key);
    if (head?.size !== size) {
      throw new SizeMismatchError(
        `${key} is ${head ? `${head.size} bytes` : 'gone'}, not the ${size} bytes verified: another run changed the window`,
      );
    }
  }

  await removeUnlistedObjects(rt.store, rt.logger, def.name, input.window, new Set(listed.keys()));
  await abortOpenUploadsOfLandedWindow(rt.store, rt.logger, def.name, input.window);
  await removeOverlappingWindows(rt.store, rt.logger, def.name, input.window);

  const key = manifestKey(def.name, input.window);
  await putManifest(rt.store, key, manifest);
  // The window is done: its job needs neither resuming nor cancelling any more.
  await deleteJobRecord(rt.store, def.name, input.window);
  recordLanded(rt, def, { bytes, records: counted, files });
  recordCurated(rt, def, manifest.records.curated, rejectedValues);
  // The window's outcome is committed now, not at the end of the run: a run killed later loses nothing of it.
  await recordWindowLanded(rt.store, def.name, input.window, {
    at: finishedAt,
    manifestKey: key,
    records: counted,
    ...(input.source ? { source: input.source } : {}),
  });
  const parts = files.reduce((n, f) => n + f.curated.length, 0);
  rt.events({
    export: def.name,
    step: 'WriteManifest',
    window: input.window,
    message: `${files.length} file(s), ${bytes} bytes, ${counted} records, ${parts} Parquet object(s)${rejectedValues > 0 ? `, ${rejectedValues} value(s) NULL (rejects table)` : ''}`,
  });
  return {
    outcome: 'landed',
    window: input.window,
    jobId: input.job.id,
    manifest: rt.uri(key),
    // The summary lists what the manifest lists, less the header (it travels in state).
    files: listedFiles.map(({ columns: _columns, ...file }) => file),
    records: counted,
    bytes,
  };
}
