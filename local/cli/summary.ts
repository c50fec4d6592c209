// The closing report of a local run: what landed, that it was verified, and where to find it.
import { DETAIL_TYPES } from '#shared/completion-events';
import {
  ExportFailedDetailSchema,
  ExportWindowQuarantinedDetailSchema,
  type ExportFailedDetail,
} from '#workflow/events';
import type { RunExportResult } from '../run-export';
import type { ParkedWindow } from '../engine/wait-limit';
import { redact } from '#shared/redact';
import { formatBytes } from './progress';

/** What the failure path really did, from the Export Failed event (never a claim it did not make). */
function failedDetail(result: RunExportResult): ExportFailedDetail | undefined {
  const failed = result.events.find((e) => e.detailType === DETAIL_TYPES.failed);
  const parsed = ExportFailedDetailSchema.safeParse(failed?.detail);
  return parsed.success ? parsed.data : undefined;
}

export function cleanupText(cleanup: ExportFailedDetail['cleanup'] | undefined): string {
  if (!cleanup)
    return 'Cleanup did not report (it failed itself): check the log for what may be left; the watermark did not move.';
  const jobs =
    cleanup.cancelledJobs.length > 0
      ? `asked the provider to cancel job(s) ${cleanup.cancelledJobs.join(', ')}`
      : 'cancelled no remote job';
  const pending = cleanup.cancelPendingJobs?.length
    ? `; could NOT cancel job(s) ${cleanup.cancelPendingJobs.join(', ')} (they may still run; their records stay, so the next run resumes them and retries the cancel)`
    : '';
  return `Cleanup ${jobs}${pending}, aborted ${cleanup.abortedUploads} open upload(s), removed ${cleanup.removedObjects} object(s) of windows that did not land.`;
}

/** Which windows of a failed run landed (they stay) and which did not, each with its own error. */
export function windowLines(windows: ExportFailedDetail['windows']): string[] {
  return [
    ...windows.landed.map((w) => `  landed    ${w.start} → ${w.end}  ${w.manifest}`),
    ...windows.failed.map((w) => `  failed    ${w.start} → ${w.end}  ${w.error.name}: ${w.error.message}`),
  ];
}

/** The windows this run quarantined, each with what was kept and the command that retries it after a fix. */
export function quarantineLines(result: Pick<RunExportResult, 'events'>): string[] {
  return result.events
    .filter((e) => e.detailType === DETAIL_TYPES.quarantined)
    .flatMap((e) => {
      const parsed = ExportWindowQuarantinedDetailSchema.safeParse(e.detail);
      if (!parsed.success) return [];
      const q = parsed.data;
      return [
        `  quarantined ${q.window.start} → ${q.window.end}  after ${q.attempts} data failure(s); raw kept: ${q.raw.join(', ') || 'none'}`,
        `            after a fix: npm start -- retry ${q.export} --window ${q.window.start}`,
      ];
    });
}

/** Says "verified" only for what was compared with the provider's own figures. */
export function verifiedText(v: { bytes: boolean; sha256: boolean; records: boolean }): string {
  const compared = [v.bytes && 'size', v.sha256 && 'sha256', v.records && 'records'].filter(Boolean);
  const missing = [!v.bytes && 'size', !v.sha256 && 'sha256', !v.records && 'records'].filter(Boolean);
  const said =
    compared.length > 0
      ? `verified against the provider: ${compared.join(', ')}`
      : 'nothing to verify against: the provider gave no size, checksum or count';
  return missing.length > 0 && compared.length > 0 ? `${said} (the provider gave no ${missing.join(', ')})` : said;
}

/**
 * The watermark after a run, and why it is where it is when the run did not put it at its end: it
 * only moves over windows contiguous with it (from the export's first start before the first commit).
 */
export function watermarkText(
  watermark: string | null,
  window: { start: string; end: string } | undefined,
  about: { firstStart?: string; snapshot?: boolean } = {},
): string {
  if (about.snapshot) return '(none: a snapshot export is the whole set as of its run, with no range to continue from)';
  const { firstStart } = about;
  if (!window) return watermark ?? '(none yet: nothing to export yet)';
  const contiguous =
    'it only moves over windows contiguous with it, so a range after a gap never moves it (scheduled runs fill the gap)';
  if (watermark === null) {
    const from = firstStart ? `the export's first start ${firstStart}` : "the export's first start";
    return `(none yet: this run's range starts at ${window.start}, after ${from}; ${contiguous})`;
  }
  if (Date.parse(watermark) >= Date.parse(window.end)) return watermark;
  return `${watermark} (unchanged: this run's range starts at ${window.start}, after it; ${contiguous})`;
}

export function renderSummary(
  result: RunExportResult,
  meta: {
    seconds: number;
    where: string;
    eventsFile?: string;
    logFile?: string;
    firstStart?: string;
    snapshot?: boolean;
  },
): string {
  const lines: string[] = [];
  if (result.skipped) {
    lines.push(
      '',
      `⏭ Scheduled start skipped: ${result.skipped.message} (the next scheduled run picks its windows up)`,
    );
  } else if (result.status === 'SUCCEEDED' && result.succeeded) {
    const s = result.succeeded;
    // Two durations, each named: the command's (with loading and the simulator) and the execution's (the event's durationSeconds).
    lines.push(
      '',
      `✔ Export ${s.export} (${s.provider}, ${s.dataset}) succeeded in ${meta.seconds.toFixed(1)} s${result.source === 'simulator' ? ' against the bundled simulator' : ''} (the execution: ${s.durationSeconds} s, the event's durationSeconds)`,
    );
    lines.push(`  window    ${s.window ? `${s.window.start} → ${s.window.end}` : '(nothing to export yet)'}`);
    lines.push(`  jobs      ${s.jobIds.join(', ') || '-'}`);
    for (const f of s.files) {
      lines.push(`  file      ${f.uri}`);
      lines.push(`            ${formatBytes(f.bytes)} (${f.bytes} bytes), ${f.records} records, sha256 ${f.sha256}`);
      lines.push(`            ${verifiedText(f.verified)}`);
      const rows = f.curated.reduce((n, p) => n + p.rows, 0);
      lines.push(
        `  parquet   ${f.curated.length} object(s), ${formatBytes(f.curated.reduce((n, p) => n + p.bytes, 0))}, ${rows} rows (= the records counted)`,
      );
    }
    lines.push(`  total     ${s.files.length} file(s), ${formatBytes(s.bytes)}, ${s.records} records`);
    lines.push(`  watermark ${watermarkText(s.watermark, s.window ?? undefined, meta)}`);
  } else if (result.status === 'ABORTED') {
    lines.push('', `■ Export stopped before it finished: ${result.error?.message ?? 'interrupted'}`);
    const s = result.stopped;
    lines.push(
      `  ${s ? cleanupText({ cancelledJobs: s.cancelledJobs, cancelPendingJobs: s.cancelPendingJobs, abortedUploads: s.abortedUploads, removedObjects: s.removedObjects }) : cleanupText(undefined)}`,
    );
  } else {
    lines.push('', `✘ Export failed: ${result.error?.name ?? 'Error'}: ${result.error?.message ?? ''}`);
    // A full disk fails a bare `write` that names no file: say where the run was writing.
    if (/\bENOSPC\b/.test(result.error?.message ?? ''))
      lines.push(
        `  disk      full: no space left where the run writes (${meta.where}); free some and run again (the line below says what was cleaned up)`,
      );
    const detail = failedDetail(result);
    if (detail) lines.push(...windowLines(detail.windows));
    lines.push(...quarantineLines(result));
    lines.push(`  ${cleanupText(detail?.cleanup)}`);
    // The ledger's landed range from the first start: a failed window holds it back, a quarantined one does not.
    if (detail?.watermark !== undefined) lines.push(`  watermark ${detail.watermark ?? '(none yet)'}`);
  }
  lines.push(`  output    ${meta.where}`);
  if (meta.eventsFile) lines.push(`  events    ${meta.eventsFile}`);
  if (meta.logFile) lines.push(`  logs      ${meta.logFile}`);
  return redact(lines.join('\n'));
}

/** A word of a shell command, quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Why a local run stopped instead of waiting, what it left for the next run, and the command that resumes it. */
export function renderParked(
  parked: ParkedWindow,
  meta: { exportName: string; maxWait: string; resume: readonly string[]; where: string; simulator: boolean },
): string {
  const why = parked.kind === 'deferred' ? 'the quota resets' : 'the provider queue may have room';
  const lines = [
    '',
    `⏸ Export ${meta.exportName} stopped: ${parked.window ? `window ${parked.window.start} → ${parked.window.end}` : (parked.step ?? 'the run')} would wait until ${parked.until} (${why}${parked.reason ? `: ${parked.reason}` : ''}), longer than --max-wait ${meta.maxWait}.`,
    parked.jobId
      ? `  job       ${parked.jobId} stays recorded under ${meta.where}; no remote job was cancelled, and the next run resumes it instead of creating another${meta.simulator ? ' (the bundled simulator starts afresh each run: it will not know the job, so the next run replaces it)' : ''}`
      : '  job       none was created yet; the next run creates it',
    `  resume    after ${parked.until}: npm start -- ${meta.resume.map(shellWord).join(' ')}`,
    `            (or now, to wait in the foreground: the same with --max-wait set beyond that instant)`,
  ];
  return redact(lines.join('\n'));
}
