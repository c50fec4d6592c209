// `history <export> --windows`: every window of an export as its ledger records it (state, data-error
// attempts, the job, the last error), read from the store the runs write to (a directory or a bucket).
import type { Ledger } from '#window/ledger';
import { redact } from '#shared/redact';

const MAX_ERROR = 100;

export function renderWindowLedger(ledger: Ledger, exists: boolean): string {
  if (!exists) return `no window ledger for export "${ledger.export}" yet (its first run under the ledger seeds it)`;
  if (ledger.windows.length === 0) return `export "${ledger.export}": no windows recorded`;
  const rows = ledger.windows.map((e) => {
    const error = e.lastError ? redact(`${e.lastError.name}: ${e.lastError.message}`) : '';
    return [
      e.start,
      e.end,
      e.state,
      String(e.attempts),
      e.jobId ?? '-',
      e.records === undefined ? '-' : String(e.records),
      e.source ?? '-',
      e.updatedAt.replace(/\.\d{3}Z$/, 'Z'),
      error.length > MAX_ERROR ? `${error.slice(0, MAX_ERROR)}…` : error,
    ];
  });
  const header = ['START', 'END', 'STATE', 'ATTEMPTS', 'JOB', 'RECORDS', 'SOURCE', 'UPDATED', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const quarantined = ledger.windows.filter((e) => e.state === 'quarantined');
  const hint =
    quarantined.length > 0
      ? [
          '',
          `${quarantined.length} quarantined window(s): their raw files are under quarantine/${ledger.export}/; after a fix, \`npm start -- retry ${ledger.export} --window <START>\``,
        ]
      : [];
  return [line(header), ...rows.map(line), ...hint].join('\n');
}
