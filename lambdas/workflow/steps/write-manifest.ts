// WriteManifest, the publish step: a window's Parquet objects wait under staging/ until every file of the
// window is verified and converted; here the curated rows must add up to the records counted (and to
// the provider's count), every raw file and staged object must still be as verified, and then the window
// is published whole from a written intent (lambdas/window/prepare-publish.ts, apply-publish.ts): staged
// objects copied under curated/, what it supersedes removed (its own earlier objects, overlapping
// windows of another grain), the manifest written. A manifest's presence means "this window landed".
import { RecordCountMismatchError } from '#shared/errors';
import { parseOrThrow } from '#shared/validation';
import { abortOpenUploadsOfLandedWindow } from '#window/abort-open-uploads';
import { applyPublishIntent } from '#window/apply-publish';
import { manifestKey } from '#window/keys';
import { recordWindowLanded } from '#window/ledger-records';
import type { Manifest, ManifestFile } from '#window/manifest';
import { preparePublish } from '#window/prepare-publish';
import { recordCurated, recordLanded } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { WriteManifestInputSchema, type LandedFile, type WindowSummary } from '../state';
import { windowSummaryOf } from '../window-summary';

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

  // Leftovers of dead runs of this window: open uploads under its prefixes are never ours now.
  await abortOpenUploadsOfLandedWindow(rt.store, rt.logger, def.name, input.window);
  const intent = await preparePublish(rt, manifest);
  const published = await applyPublishIntent(rt, intent);
  const key = manifestKey(def.name, input.window);
  rt.logger.info('window published', { key, ...published });

  // ── The window landed: its bookkeeping, in this one place (roll-forwards land windows too: see
  // lambdas/window/roll-forward.ts). The job record and the intent are already gone (apply-publish.ts).
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
    message: `${files.length} file(s), ${bytes} bytes, ${counted} records, ${parts} Parquet object(s)${rejectedValues > 0 ? `, ${rejectedValues} value(s) NULL (rejects table)` : ''}; published in ${published.partialMs} ms`,
  });
  // ── end of the landed bookkeeping.
  return windowSummaryOf(intent.manifest, rt.uri(key));
}
