// WriteManifest: one manifest per window, written after every file of the window is verified and
// visible, so a manifest's presence means "this window landed completely".
import { SizeMismatchError } from '../../shared/errors';
import { deleteJobRecord } from '../job-records';
import { manifestKey, rawWindowPrefix } from '../keys';
import { recordLanded } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { WriteManifestInputSchema, type WindowSummary } from '../state';
import { parseOrThrow } from '../../shared/validation';

export async function writeManifest(event: unknown, rt: WorkflowRuntime): Promise<WindowSummary> {
  const input = parseOrThrow(WriteManifestInputSchema, event, 'event');
  const def = input.export;
  const files = [...input.files].sort((a, b) => a.index - b.index);
  const counted = files.reduce((n, f) => n + f.records, 0);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const finishedAt = rt.clock.now().toISOString();
  const manifest = {
    manifestVersion: 1,
    export: def.name,
    provider: def.provider,
    dataset: def.dataset,
    window: input.window,
    job: { id: input.job.id, createdAt: input.job.createdAt ?? null, providerStatus: input.poll.providerStatus, polls: input.poll.count },
    files: files.map((f) => ({
      key: f.key,
      uri: f.uri,
      bytes: f.bytes,
      sha256: f.sha256,
      records: f.records,
      columns: f.header,
      verified: { bytes: f.expectedBytes !== null, sha256: f.expectedSha256 !== null },
    })),
    records: { counted, provider: input.poll.records },
    bytes,
    timings: { runStartedAt: input.runStartedAt, finishedAt },
  };
  // The files must still be there as FinishFile left them: a concurrent failed run of the same window
  // may have removed them, and a manifest must never list what is not there.
  for (const f of files) {
    const head = await rt.store.headObject(f.key);
    if (head?.size !== f.bytes) {
      throw new SizeMismatchError(`${f.key} is ${head ? `${head.size} bytes` : 'gone'}, not the ${f.bytes} bytes verified: another run changed the window`);
    }
  }
  // A re-run can yield fewer files than an earlier run of the window (Clickwrap links vary): objects
  // of the window that this manifest does not list would be read by Athena as duplicates.
  const listed = new Set(files.map((f) => f.key));
  for (const stale of (await rt.store.listKeys(rawWindowPrefix(def.name, input.window))).filter((k) => !listed.has(k))) {
    await rt.store.deleteObject(stale);
    rt.logger.warn('removed an object of an earlier run of this window that the new manifest does not list', { export: def.name, key: stale });
  }
  const key = manifestKey(def.name, input.window);
  await rt.store.putObject(key, JSON.stringify(manifest, null, 2), 'application/json');
  // The window is done: its job needs neither resuming nor cancelling any more.
  await deleteJobRecord(rt.store, def.name, input.window);
  recordLanded(rt, def, { bytes, records: counted, files });
  rt.onProgress?.({ export: def.name, step: 'WriteManifest', window: input.window, message: `${files.length} file(s), ${bytes} bytes, ${counted} records` });
  return {
    window: input.window,
    jobId: input.job.id,
    manifest: rt.uri(key),
    files: files.map((f) => ({ uri: f.uri, key: f.key, bytes: f.bytes, sha256: f.sha256, records: f.records })),
    records: counted,
    bytes,
  };
}
