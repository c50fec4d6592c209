// A landed window as the run's state reports it, read from its manifest: the publish step and a
// CleanupWindow that finished an interrupted publish report a landed window the same way.
import type { Manifest } from '#window/manifest';
import type { WindowSummary } from './state';

export function windowSummaryOf(manifest: Manifest, manifestUri: string): WindowSummary {
  return {
    outcome: 'landed',
    window: manifest.window,
    jobId: manifest.job.id,
    manifest: manifestUri,
    // The summary lists what the manifest lists, less the header (it travels in state).
    files: manifest.files.map(({ columns: _columns, ...file }) => file),
    records: manifest.records.counted,
    bytes: manifest.bytes,
  };
}
