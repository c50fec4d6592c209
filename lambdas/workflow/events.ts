// The detail of the completion events (schemas/export-event.schema.json). Built by Lambda steps and
// sent by the state machine's native EventBridge PutEvents tasks. No secret ever goes in here.
import type { ExportDefinition } from '../shared/export-definition';
import type { WindowSummary } from './state';

export interface EventFile {
  uri: string;
  key: string;
  bytes: number;
  sha256: string;
  records: number;
}

export interface ExportSucceededDetail {
  export: string;
  provider: string;
  dataset: string;
  window: { start: string; end: string } | null;
  jobIds: string[];
  files: EventFile[];
  records: number;
  bytes: number;
  durationSeconds: number;
  watermark: string | null;
  executionId?: string;
}

export interface ExportFailedDetail {
  export: string;
  provider: string;
  dataset: string;
  window: { start: string; end: string } | null;
  jobIds: string[];
  error: { name: string; message: string };
  durationSeconds: number;
  cleanup: { cancelledJobs: string[]; abortedUploads: number; removedObjects: number };
  executionId?: string;
}

export function spanOf(windows: readonly { start: string; end: string }[]): { start: string; end: string } | null {
  const first = windows[0];
  const last = windows.at(-1);
  return first && last ? { start: first.start, end: last.end } : null;
}

export function succeededDetail(def: ExportDefinition, summaries: readonly WindowSummary[], extra: { durationSeconds: number; watermark: string | null; executionId?: string }): ExportSucceededDetail {
  const files = summaries.flatMap((s) => s.files.map((f) => ({ uri: f.uri, key: f.key, bytes: f.bytes, sha256: f.sha256, records: f.records })));
  return {
    export: def.name,
    provider: def.provider,
    dataset: def.dataset,
    window: spanOf(summaries.map((s) => s.window)),
    jobIds: summaries.map((s) => s.jobId),
    files,
    records: files.reduce((n, f) => n + f.records, 0),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    durationSeconds: extra.durationSeconds,
    watermark: extra.watermark,
    ...(extra.executionId ? { executionId: extra.executionId } : {}),
  };
}
