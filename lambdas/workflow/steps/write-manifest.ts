// WriteManifest: one manifest per window, written after every file of the window is verified and
// visible and converted, so a manifest's presence means "this window landed completely". Before it is
// written: the curated rows must add up to the records counted (and to the provider's count), every
// listed object must still be there, and nothing else of this window — nor of any window of the export
// it overlaps (a change of grain) — may stay readable beside it.
import { RecordCountMismatchError, SizeMismatchError } from '../../shared/errors';
import { recordCurated, recordLanded } from '../metrics';
import { parseOrThrow } from '../../shared/validation';
import { deleteJobRecord } from '../job-records';
import { curatedWindowPrefix, manifestKey, manifestsPrefix, rawWindowPrefix } from '../keys';
import { supersededWindows, removeWindow } from '../window-objects';
import { abortLeftoverUploads } from '../window-leftovers';
import type { WorkflowRuntime } from '../runtime';
import { WriteManifestInputSchema, type LandedFile, type WindowSummary } from '../state';

/** What was compared with the provider's own figures; false where it gave nothing to compare. */
export function verifiedOf(file: LandedFile): { bytes: boolean; sha256: boolean; records: boolean } {
  return { bytes: file.expectedBytes !== null, sha256: file.expectedSha256 !== null, records: file.expectedRecords !== null };
}
import { redactDeep } from '../../shared/redact';

export async function writeManifest(event: unknown, rt: WorkflowRuntime): Promise<WindowSummary> {
  const input = parseOrThrow(WriteManifestInputSchema, event, 'event');
  const def = input.export;
  const files = [...input.files].sort((a, b) => a.index - b.index);
  const counted = files.reduce((n, f) => n + f.records, 0);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);

  // Every value of the raw file reached Parquet: rows written = records counted in transfer, per file,
  // and across the window = what the provider announced for the job (when it did).
  for (const f of files) {
    const rows = f.curated.reduce((n, p) => n + p.rows, 0);
    if (rows !== f.records) throw new RecordCountMismatchError(`${f.key}: ${rows} rows written to Parquet, ${f.records} records counted in the raw file`);
  }
  if (input.poll.records !== null && counted !== input.poll.records) {
    throw new RecordCountMismatchError(`window ${input.window.start}/${input.window.end}: ${counted} records landed, ${def.provider} announced ${input.poll.records}`);
  }

  // The objects must still be there as the steps left them: a concurrent failed run of the same window
  // may have removed them, and a manifest must never list what is not there.
  const listed = [...files.map((f) => ({ key: f.key, bytes: f.bytes })), ...files.flatMap((f) => f.curated.map((p) => ({ key: p.key, bytes: p.bytes })))];
  for (const o of listed) {
    const head = await rt.store.headObject(o.key);
    if (head?.size !== o.bytes) {
      throw new SizeMismatchError(`${o.key} is ${head ? `${head.size} bytes` : 'gone'}, not the ${o.bytes} bytes verified: another run changed the window`);
    }
  }

  // A re-run can yield fewer files or splits than an earlier run of the window (Clickwrap links vary):
  // objects of the window this manifest does not list would be read by Athena as duplicates.
  const keep = new Set(listed.map((o) => o.key));
  for (const prefix of [rawWindowPrefix(def.name, input.window), curatedWindowPrefix(def.name, input.window)]) {
    for (const stale of (await rt.store.listKeys(prefix)).filter((k) => !keep.has(k))) {
      await rt.store.deleteObject(stale);
      rt.logger.warn('removed an object of an earlier run of this window that the new manifest does not list', { key: stale });
    }
  }
  await abortLeftoverUploads(rt.store, rt.logger, def.name, input.window);
  // Windows of another grain that overlap this one hold the same records: this window supersedes them.
  const key = manifestKey(def.name, input.window);
  for (const other of await supersededWindows(rt.store, manifestsPrefix(def.name), input.window, key)) {
    const removed = await removeWindow(rt.store, def.name, other);
    rt.logger.warn('removed an overlapping window of another grain: this window supersedes it', { superseded: other, removedObjects: removed });
  }

  const finishedAt = rt.clock.now().toISOString();
  const manifest = {
    manifestVersion: 2,
    export: def.name,
    provider: def.provider,
    dataset: def.dataset,
    ...(input.source ? { source: input.source } : {}),
    window: input.window,
    job: { id: input.job.id, createdAt: input.job.createdAt ?? null, providerStatus: input.poll.providerStatus, polls: input.poll.count },
    files: files.map((f) => ({
      key: f.key,
      uri: f.uri,
      bytes: f.bytes,
      sha256: f.sha256,
      records: f.records,
      columns: f.header,
      verified: verifiedOf(f),
      curated: f.curated.map((p) => ({ key: p.key, uri: p.uri, bytes: p.bytes, sha256: p.sha256, rows: p.rows })),
    })),
    records: { counted, provider: input.poll.records, curated: files.reduce((n, f) => n + f.curated.reduce((m, p) => m + p.rows, 0), 0) },
    bytes,
    timings: { runStartedAt: input.runStartedAt, finishedAt },
  };
  // Column names and counts come from the provider's bytes: the manifest leaves redacted like any output.
  await rt.store.putObject(key, JSON.stringify(redactDeep(manifest), null, 2), 'application/json');
  // The window is done: its job needs neither resuming nor cancelling any more.
  await deleteJobRecord(rt.store, def.name, input.window);
  recordLanded(rt, def, { bytes, records: counted, files });
  recordCurated(rt, def, manifest.records.curated);
  const parts = files.reduce((n, f) => n + f.curated.length, 0);
  rt.events({ export: def.name, step: 'WriteManifest', window: input.window, message: `${files.length} file(s), ${bytes} bytes, ${counted} records, ${parts} Parquet object(s)` });
  return {
    outcome: 'landed',
    window: input.window,
    jobId: input.job.id,
    manifest: rt.uri(key),
    files: files.map((f) => ({
      uri: f.uri,
      key: f.key,
      bytes: f.bytes,
      sha256: f.sha256,
      records: f.records,
      verified: verifiedOf(f),
      curated: f.curated.map((p) => ({ uri: p.uri, key: p.key, bytes: p.bytes, sha256: p.sha256, rows: p.rows })),
    })),
    records: counted,
    bytes,
  };
}
