// The closing report of a local run: what landed, that it was verified, and where to find it.
import type { RunExportResult } from '../run-export';
import { redact } from '../../lambdas/shared/redact';
import { formatBytes } from './progress';

export function renderSummary(result: RunExportResult, meta: { seconds: number; where: string; eventsFile?: string; logFile?: string }): string {
  const lines: string[] = [];
  if (result.status === 'SUCCEEDED' && result.succeeded) {
    const s = result.succeeded;
    lines.push('', `✔ Export ${s.export} (${s.provider}, ${s.dataset}) succeeded in ${meta.seconds.toFixed(1)} s${result.source === 'simulator' ? ' against the bundled simulator' : ''}`);
    lines.push(`  window    ${s.window ? `${s.window.start} → ${s.window.end}` : '(nothing to export yet)'}`);
    lines.push(`  jobs      ${s.jobIds.join(', ') || '-'}`);
    for (const f of s.files) {
      lines.push(`  file      ${f.uri}`);
      lines.push(`            ${formatBytes(f.bytes)} (${f.bytes} bytes), ${f.records} records, sha256 ${f.sha256} verified`);
    }
    lines.push(`  total     ${s.files.length} file(s), ${formatBytes(s.bytes)}, ${s.records} records`);
    lines.push(`  watermark ${s.watermark ?? '(unchanged)'}`);
  } else {
    lines.push('', `✘ Export failed: ${result.error?.name ?? 'Error'}: ${result.error?.message ?? ''}`);
    lines.push('  Nothing half-written is visible, remote jobs were cancelled, the watermark did not move.');
  }
  lines.push(`  output    ${meta.where}`);
  if (meta.eventsFile) lines.push(`  events    ${meta.eventsFile}`);
  if (meta.logFile) lines.push(`  logs      ${meta.logFile}`);
  return redact(lines.join('\n'));
}
