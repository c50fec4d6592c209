// A query result as an aligned text table for a terminal: control characters in values shown as
// escapes so one record stays on one line, numbers right-aligned, NULL spelled out.
import type { QueryResult } from './run-query';

const MAX_CELL = 60;

function cellText(value: string | null): string {
  if (value === null) return 'NULL';
  // eslint-disable-next-line no-control-regex
  const oneLine = value.replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine;
}

export function renderTable(result: QueryResult): string {
  const cells = result.rows.map((row) => row.map(cellText));
  const widths = result.columns.map((name, c) =>
    Math.max(name.length, ...cells.map((row) => [...(row[c] ?? '')].length)),
  );
  const pad = (text: string, c: number) => {
    const room = (widths[c] ?? 0) - [...text].length;
    return result.numeric[c] ? ' '.repeat(room) + text : text + ' '.repeat(room);
  };
  const lines = [
    result.columns.map((name, c) => pad(name, c)).join(' | '),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map((row) => row.map((text, c) => pad(text, c)).join(' | ')),
    `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`,
  ];
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}
