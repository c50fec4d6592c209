// What each step tells the metrics (the catalogue in shared/metric-catalog.ts), one function per step,
// so a step says one line about it and the figures are computed here, testably. Every metric carries
// the export and its provider as dimensions.
import type { ExportProvider, JobStatus, ProviderTelemetry } from '#providers/types';
import type { ExportDefinition } from '#shared/export-definition';
import type { MetricName } from '#shared/metric-catalog';
import type { MetricsRecorder } from '#shared/metrics';
import type { TransferCursor } from '#transfer/transfer-file';
import type { WorkflowRuntime } from './runtime';
import type { JobCheck, StartOutcome } from './state';

/** The export a metric is about (Cleanup may know only a name and 'unknown'). */
type Def = { readonly name: ExportDefinition['name']; readonly provider: string };

function emitter(rt: WorkflowRuntime, def: Def) {
  const dimensions = { export: def.name, provider: def.provider };
  return (name: MetricName, value: number, detail?: string) => rt.metrics?.add(name, value, dimensions, detail);
}

const secondsBetween = (from: string | undefined, to: string | undefined): number | undefined => {
  const a = Date.parse(from ?? '');
  const b = Date.parse(to ?? '');
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : undefined;
};

/** Plan: a scheduled start skipped because another run holds the export. */
export function recordSkippedStart(rt: WorkflowRuntime, def: Def): void {
  emitter(rt, def)('ScheduledStartsSkipped', 1);
}

/** StartJob: a job queued, a quota deferral or a full queue. */
export function recordStart(rt: WorkflowRuntime, def: Def, outcome: Pick<StartOutcome, 'kind'>): void {
  const emit = emitter(rt, def);
  if (outcome.kind === 'started') emit('JobsStarted', 1);
  else if (outcome.kind === 'deferred') emit('QuotaDeferrals', 1);
  else if (outcome.kind === 'busy') emit('QueueFullWaits', 1);
}

/**
 * CheckJob: every poll counts; a finished job adds its queue and processing time (as the provider
 * states them), its age by the poll record, and, where the provider has a daily allowance, today's use.
 */
export async function recordCheck(
  rt: WorkflowRuntime,
  def: Def,
  provider: ExportProvider,
  status: JobStatus,
  check: JobCheck,
): Promise<void> {
  const emit = emitter(rt, def);
  emit('JobPolls', 1);
  if (status.state !== 'succeeded') return;
  const queued = secondsBetween(status.timings?.queuedAt, status.timings?.startedAt);
  const processing = secondsBetween(status.timings?.startedAt, status.timings?.finishedAt);
  if (queued !== undefined) emit('JobQueueSeconds', queued);
  if (processing !== undefined) emit('JobProcessingSeconds', processing);
  const since = Date.parse(check.since ?? '');
  const wallSeconds = Number.isFinite(since) ? (rt.clock.now().getTime() - since) / 1000 : 0;
  emit('JobAgeSeconds', Math.max(wallSeconds, check.waitedSeconds));
  if (!provider.exportQuotaUse) return;
  try {
    const use = await provider.exportQuotaUse();
    emit('MarketoExportQuotaUsedBytes', use.usedBytes);
    emit('MarketoExportQuotaUsedPercent', use.limitBytes > 0 ? (100 * use.usedBytes) / use.limitBytes : 0);
  } catch (error) {
    // The quota figure is for people; the job is done either way.
    rt.logger.warn('could not read the export quota use', { export: def.name, error: String(error) });
  }
}

/** Below this, an invocation's rate measures latency (a file's last few bytes), not throughput. */
export const MIN_BYTES_FOR_RATE = 1024 * 1024;

/** TransferChunk: bytes this invocation stored and, when it moved enough to say, its throughput. */
export function recordChunk(
  rt: WorkflowRuntime,
  def: Def,
  before: Pick<TransferCursor, 'offset'>,
  after: Pick<TransferCursor, 'offset'>,
  elapsedMs: number,
): void {
  const emit = emitter(rt, def);
  const bytes = Math.max(0, after.offset - before.offset);
  emit('TransferredBytes', bytes);
  if (elapsedMs > 0 && bytes >= MIN_BYTES_FOR_RATE)
    emit('TransferMegabytesPerSecond', bytes / 1e6 / (elapsedMs / 1000));
}

/** FinishFile: how many invocations and ranged GETs the file took (the cursor kept count). */
export function recordFile(
  rt: WorkflowRuntime,
  def: Def,
  cursor: Pick<TransferCursor, 'invocations' | 'rangeRequests'>,
): void {
  const emit = emitter(rt, def);
  emit('FileInvocations', cursor.invocations);
  emit('FileRangeRequests', cursor.rangeRequests);
}

/** WriteManifest: what the window landed. */
export function recordLanded(
  rt: WorkflowRuntime,
  def: Def,
  summary: { bytes: number; records: number; files: readonly unknown[] },
): void {
  const emit = emitter(rt, def);
  emit('WindowsLanded', 1);
  emit('LandedBytes', summary.bytes);
  emit('LandedRecords', summary.records);
  emit('LandedFiles', summary.files.length);
}

/** CommitWatermark: a run succeeded, how long it took, and how far behind now its watermark is. */
export function recordCommit(
  rt: WorkflowRuntime,
  def: Def,
  run: { durationSeconds: number; watermark: string | null },
): void {
  const emit = emitter(rt, def);
  emit('RunsSucceeded', 1);
  emit('RunDurationSeconds', run.durationSeconds);
  const at = Date.parse(run.watermark ?? '');
  if (Number.isFinite(at)) emit('WatermarkAgeSeconds', Math.max(0, (rt.clock.now().getTime() - at) / 1000));
}

/** Cleanup: a run failed, and why (the error's name). */
/** CleanupWindow: a window quarantined (alarmed: its data waits for an operator). */
export function recordQuarantined(rt: WorkflowRuntime, def: Def, errorName: string): void {
  emitter(rt, def)('WindowsQuarantined', 1, errorName);
}

export function recordFailure(rt: WorkflowRuntime, def: Def, errorName: string): void {
  emitter(rt, def)('RunsFailed', 1, errorName);
}

/** What a provider built for `def` reports: its API calls by kind and its in-process retries by reason. */
export function providerTelemetry(metrics: MetricsRecorder | undefined, def: Def): ProviderTelemetry | undefined {
  if (!metrics) return undefined;
  const dimensions = { export: def.name, provider: def.provider };
  return {
    apiCall: (kind, instance) => metrics.add('ApiCalls', 1, instance ? { ...dimensions, instance } : dimensions, kind),
    retry: (reason) => metrics.add('Retries', 1, dimensions, reason),
  };
}

/** The curated step's hook: rows it wrote to the curated table. */
export function recordCurated(rt: WorkflowRuntime, def: Def, rows: number, rejectedValues = 0): void {
  const emit = emitter(rt, def);
  emit('CuratedRows', rows);
  // Only where the export lands bad values as NULL: elsewhere a bad value fails the window instead.
  if (rejectedValues > 0) emit('ValuesRejected', rejectedValues);
}

/** RefreshReferences: one reference table replaced (its rows), or not (the previous copy stays). */
export function recordReferenceRefresh(rt: WorkflowRuntime, def: Def, table: string, rows: number | 'failed'): void {
  const emit = emitter(rt, def);
  if (rows === 'failed') emit('ReferenceRefreshFailures', 1, table);
  else emit('ReferenceRowsRefreshed', rows, table);
}

/** ReleaseJob: a landed job deleted at the provider, or a delete that failed (and why). */
export function recordRelease(rt: WorkflowRuntime, def: Def, failedWith?: string): void {
  if (failedWith === undefined) emitter(rt, def)('JobsReleased', 1);
  else emitter(rt, def)('JobReleasesFailed', 1, failedWith);
}
