// The closing report of a local run: what landed, that it was verified, and where to find it.
import type { RunExportResult } from '../run-export';
import { redact } from '../../lambdas/shared/redact';
import { formatBytes } from './progress';

/** Says "verified" only for what was compared with the provider's own figures. */
export function verifiedText(v: { bytes: boolean; sha256: boolean; records: boolean }): string {
  const compared = [v.bytes && 'size', v.sha256 && 'sha256', v.records && 'records'].filter(Boolean);
  const missing = [!v.bytes && 'size', !v.sha256 && 'sha256', !v.records && 'records'].filter(Boolean);
  const said = compared.length > 0 ? `verified against the provider: ${compared.join(', ')}` : 'nothing to verify against: the provider gave no size, checksum or count';
  return missing.length > 0 && compared.length > 0 ? `${said} (the provider gave no ${missing.join(', ')})` : said;
}

export function renderSummary(result: RunExportResult, meta: { seconds: number; where: string; eventsFile?: string; logFile?: string }): string {
  const lines: string[] = [];
  if (result.status === 'SUCCEEDED' && result.succeeded) {
    const s = result.succeeded;
    lines.push('', `✔ Export ${s.export} (${s.provider}, ${s.dataset}) succeeded in ${meta.seconds.toFixed(1)} s${result.source === 'simulator' ? ' against the bundled simulator' : ''}`);
    lines.push(`  window    ${s.window ? `${s.window.start} → ${s.window.end}` : '(nothing to export yet)'}`);
    lines.push(`  jobs      ${s.jobIds.join(', ') || '-'}`);
    for (const f of s.files) {
      lines.push(`  file      ${f.uri}`);
      lines.push(`            ${formatBytes(f.bytes)} (${f.bytes} bytes), ${f.records} records, sha256 ${f.sha256}`);
      lines.push(`            ${verifiedText(f.verified)}`);
      const rows = f.curated.reduce((n, p) => n + p.rows, 0);
      lines.push(`  parquet   ${f.curated.length} object(s), ${formatBytes(f.curated.reduce((n, p) => n + p.bytes, 0))}, ${rows} rows (= the records counted)`);
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
