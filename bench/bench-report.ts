// Formats the benchmark's results: a table per file size, where the transfer's time went, and one
// closing line of ratios.
import type { CaseKind, CaseOutput } from './bench-cases';

export type CaseResult = CaseOutput & {
  readonly maxRssMiB: number;
  /** CPU the case's own process used. */
  readonly cpuMs: number;
  /** CPU moto_server and the source server (the bench's parent) used during the case. */
  readonly motoCpuMs?: number;
  readonly sourceCpuMs?: number;
};

export const CASE_LABELS: Record<CaseKind, string> = {
  'source-null': 'limit: source -> nowhere',
  'hash-alone': 'resumable SHA-256, one core',
  'sink-s3': 'limit: memory -> S3 (moto)',
  'sink-local': 'limit: memory -> local dir',
  'lib-storage-s3': 'lib-storage Upload -> S3',
  'transfer-s3': 'transfer -> S3 (moto)',
  'transfer-local': 'transfer -> local dir',
};

/** MB/s over the whole case. */
export function rate(r: CaseResult): number {
  return r.bytes / 1e6 / (r.totalMs / 1000);
}

/** MB/s without moto's CompleteMultipartUpload, which assembles slowly and equally for every uploader. */
export function streamRate(r: CaseResult): number {
  return r.bytes / 1e6 / ((r.totalMs - r.completeMs) / 1000);
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits = 1) => v.toFixed(digits).padStart(8);

/** CPU milliseconds per MB moved. */
function cpuPerMB(ms: number | undefined, bytes: number): string {
  return ms === undefined ? '     n/a' : num(ms / (bytes / 1e6), 2);
}

export function caseLine(kind: CaseKind, r: CaseResult): string {
  const extra = r.invocations !== undefined ? `  invocations=${r.invocations} range-requests=${r.rangeRequests}` : '';
  return (
    `  ${pad(CASE_LABELS[kind], 28)}${num(rate(r))}${num(streamRate(r))}${num(r.completeMs / 1000, 2)}${num(r.maxRssMiB, 0)}` +
    `${cpuPerMB(r.cpuMs, r.bytes)}${cpuPerMB(r.motoCpuMs, r.bytes)}${cpuPerMB(r.sourceCpuMs, r.bytes)}${extra}`
  );
}

export function tableHeader(): string {
  return (
    `  ${pad('case', 28)}${'MB/s'.padStart(8)}${'stream'.padStart(8)}${'compl s'.padStart(8)}${'RSS MiB'.padStart(8)}` +
    `${'cpu/MB'.padStart(8)}${'moto'.padStart(8)}${'source'.padStart(8)}\n` +
    `  ${pad('', 28)}${'(all)'.padStart(8)}${'(-compl)'.padStart(8)}${''.padStart(8)}${'(peak)'.padStart(8)}${'(ms)'.padStart(8)}${'(ms)'.padStart(8)}${'(ms)'.padStart(8)}`
  );
}

export function timeLine(kind: CaseKind, r: CaseResult): string | undefined {
  const m = r.metrics;
  if (!m) return undefined;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
  const perMB = (ms: number) => (ms / (m.bytesRead / 1e6)).toFixed(2);
  return (
    `    ${CASE_LABELS[kind]}: wall ${s(r.totalMs)} (complete ${s(r.completeMs)}); on the event loop: ` +
    `hash ${s(m.hashMs)} (${perMB(m.hashMs)} ms/MB; on the worker ${s(m.offThreadHashMs ?? 0)}), count ${s(m.countMs)} (${perMB(m.countMs)} ms/MB; on the worker ${s(m.offThreadCountMs ?? 0)}), copy ${s(m.copyMs)}; ` +
    `waiting: source ${s(m.readWaitMs)}, upload slot ${s(m.uploadWaitMs)}, final drain ${s(m.drainMs)}; ` +
    `read ${(m.bytesRead / 1e6).toFixed(0)} MB for ${(m.bytesCommitted / 1e6).toFixed(0)} MB stored, ${m.resumes} resumes`
  );
}

export function summaryLine(
  small: Partial<Record<CaseKind, CaseResult>>,
  big: Partial<Record<CaseKind, CaseResult>>,
  bigLabel: string,
  smallLabel: string,
): string {
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(2) : 'n/a';
  const r = (res: CaseResult | undefined) => (res ? streamRate(res) : undefined);
  const min = (...v: (number | undefined)[]) =>
    v.every((x) => x !== undefined) ? Math.min(...(v as number[])) : undefined;
  const limitS3 = min(r(big['source-null']), r(big['sink-s3']));
  const limitLocal = min(r(big['source-null']), r(big['sink-local']));
  const rss = (res: Partial<Record<CaseKind, CaseResult>>, kind: CaseKind) => res[kind]?.maxRssMiB;
  const all = (res: CaseResult | undefined) => (res ? rate(res) : undefined);
  return [
    `transfer/lib-storage=${ratio(all(big['transfer-s3']), all(big['lib-storage-s3']))}`,
    `stream:transfer/lib-storage=${ratio(r(big['transfer-s3']), r(big['lib-storage-s3']))}`,
    `transfer/limit=${ratio(r(big['transfer-s3']), limitS3)}`,
    `rss(${bigLabel})/rss(${smallLabel})=${ratio(rss(big, 'transfer-s3'), rss(small, 'transfer-s3'))}`,
    `local:transfer/hash=${ratio(all(big['transfer-local']), all(big['hash-alone']))}`,
    `local:transfer/limit=${ratio(r(big['transfer-local']), limitLocal)}`,
    `local:rss(${bigLabel})/rss(${smallLabel})=${ratio(rss(big, 'transfer-local'), rss(small, 'transfer-local'))}`,
  ].join(' ');
}
